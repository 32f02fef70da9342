package io.statuspolicy.policy;

/** Where a rule comes from. */
public enum Provenance {
    /** A row of the organisation's written guideline. */
    GUIDELINE("the guideline"),
    /** A row we add for a registered status the guideline does not list, from its RFC. */
    RFC("the RFC"),
    /** A product decision recorded in GUIDELINE.md (for example transport failures). */
    PRODUCT("statuspolicy"),
    /** A rule changed or added by the user of the library. */
    USER("the local policy");

    private final String phrase;

    Provenance(String phrase) {
        this.phrase = phrase;
    }

    /** Who "says" the rule in an explanation: "the guideline", "the RFC", ... */
    public String phrase() {
        return phrase;
    }
}
