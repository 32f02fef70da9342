package io.statuspolicy.decision;

import java.util.List;

/**
 * The parts of a response the decision function reads: its status and header fields. Each
 * executor implements it over its client's response type, without copying.
 */
public interface ResponseFacts {
    /** The status code. */
    int status();

    /**
     * Every value of the named header field, one entry per field line, in order; an empty list
     * when there is none. Names are matched without regard to case.
     */
    List<String> headerValues(String name);
}
