package io.statuspolicy.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyListenerTest {
    private static final PolicyEvent.AttemptStarted EVENT =
            new PolicyEvent.AttemptStarted("GET", URI.create("https://a.test/"), 1, 0);

    @Test
    void aThrowingListenerIsContainedAndTheOthersStillHear() {
        List<PolicyEvent> heard = new ArrayList<>();
        PolicyListener throwing = new PolicyListener() {
            @Override
            public void attemptStarted(PolicyEvent.AttemptStarted event) {
                throw new IllegalStateException("listener bug");
            }
        };
        PolicyListener recording = new PolicyListener() {
            @Override
            public void attemptStarted(PolicyEvent.AttemptStarted event) {
                heard.add(event);
            }
        };
        PolicyListener both = PolicyListener.composite(List.of(throwing, recording));
        both.attemptStarted(EVENT);
        assertThat(heard).containsExactly(EVENT);
    }

    @Test
    void errorsOtherThanTheVirtualMachinesAreContainedToo() {
        PolicyListener asserting = new PolicyListener() {
            @Override
            public void gaveUp(PolicyEvent.GaveUp event) {
                throw new AssertionError("listener assertion");
            }
        };
        PolicyListener.safe(asserting).gaveUp(null);
        assertThat(PolicyListener.safe(PolicyListener.safe(asserting)).toString()).isEqualTo("safe(" + asserting + ")");
    }

    @Test
    void noListenersIsTheNoOpListener() {
        assertThat(PolicyListener.composite(List.of())).isSameAs(PolicyListener.NONE);
        assertThat(PolicyListener.composite(List.of(PolicyListener.NONE))).isSameAs(PolicyListener.NONE);
        assertThat(PolicyListener.safe(PolicyListener.NONE)).isSameAs(PolicyListener.NONE);
    }
}
