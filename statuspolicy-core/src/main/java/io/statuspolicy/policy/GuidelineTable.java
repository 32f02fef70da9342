package io.statuspolicy.policy;

import static io.statuspolicy.policy.Grade.MAY_RETRY;
import static io.statuspolicy.policy.Grade.MUST_NOT_RETRY;
import static io.statuspolicy.policy.Grade.NOT_APPLICABLE;
import static io.statuspolicy.policy.Grade.SHALL_RETRY;
import static io.statuspolicy.policy.Handling.AWAIT_RESOURCE;
import static io.statuspolicy.policy.Handling.FAIL;
import static io.statuspolicy.policy.Handling.INFORMATIONAL;
import static io.statuspolicy.policy.Handling.NOT_USED;
import static io.statuspolicy.policy.Handling.REDIRECT_PERMANENT;
import static io.statuspolicy.policy.Handling.REDIRECT_SEE_OTHER;
import static io.statuspolicy.policy.Handling.REDIRECT_TEMPORARY;
import static io.statuspolicy.policy.Handling.REFRESH_CREDENTIALS;
import static io.statuspolicy.policy.Handling.REFRESH_PROXY_CREDENTIALS;
import static io.statuspolicy.policy.Handling.RESEND_WITH_CONTENT_LENGTH;
import static io.statuspolicy.policy.Handling.RETRY;
import static io.statuspolicy.policy.Handling.RETRY_ONLY_AFTER_RETRY_AFTER;
import static io.statuspolicy.policy.Handling.SUCCEED;
import static io.statuspolicy.policy.Handling.USE_CACHED_COPY;
import static io.statuspolicy.policy.Provenance.GUIDELINE;
import static io.statuspolicy.policy.Provenance.PRODUCT;
import static io.statuspolicy.policy.Provenance.RFC;

import java.util.ArrayList;
import java.util.List;

/**
 * The organisation's guideline as data: one rule per row, plus the rows GUIDELINE.md adds for
 * registered statuses the guideline does not list. Descriptions are ours, in English and
 * Swedish. The source of truth for the README's table.
 */
final class GuidelineTable {
    private static final String GL = "guideline";

    private GuidelineTable() {
    }

    /** The class rules, 1xx to 5xx, in order. */
    static List<Rule> classRules() {
        return List.of(
                klass(100, INFORMATIONAL, NOT_APPLICABLE, GUIDELINE, GL,
                        "Informational: nothing to do; the HTTP stack handles interim responses.",
                        "Information: ingen hantering, HTTP-stacken sköter interimssvar."),
                klass(200, SUCCEED, NOT_APPLICABLE, GUIDELINE, GL,
                        "Successful: the call worked; return the response.",
                        "Lyckat: anropet fungerade, svaret returneras."),
                klass(300, NOT_USED, MUST_NOT_RETRY, RFC, "RFC 9110 §15",
                        "Unlisted redirect status: handled as 300, which we do not use.",
                        "Okänd omdirigering: hanteras som 300, som vi inte använder."),
                klass(400, FAIL, MUST_NOT_RETRY, RFC, "RFC 9110 §15",
                        "Unlisted client error: handled as 400; not retried.",
                        "Okänt klientfel: hanteras som 400, inget omförsök."),
                klass(500, RETRY, SHALL_RETRY, RFC, "RFC 9110 §15",
                        "Unlisted server error: handled as 500; retried.",
                        "Okänt serverfel: hanteras som 500, nytt försök görs."));
    }

    /** The rule for a transport failure (no response): like 503, for idempotent requests only. */
    static Rule transportFailure() {
        // Status 503 is the rule's key: a transport failure is handled like a 503 (GUIDELINE.md).
        return new Rule(503, false, RETRY, SHALL_RETRY, PRODUCT, "GUIDELINE.md, transport failures",
                "No response (refused, reset, timed out): retried like 503, for idempotent requests only.",
                "Inget svar (nekad, avbruten, timeout): nytt försök som vid 503, bara för idempotenta anrop.",
                false, Rule.POLICY_LIMIT);
    }

    /** Every status row, in status order. */
    static List<Rule> statusRules() {
        List<Rule> rows = new ArrayList<>();
        rows.add(row(300, NOT_USED, MUST_NOT_RETRY, GUIDELINE, GL,
                "Multiple Choices is not used by us; treated as an error.",
                "Används inte av oss; behandlas som ett fel."));
        rows.add(row(301, REDIRECT_PERMANENT, NOT_APPLICABLE, GUIDELINE, GL,
                "Moved for good: follow Location and use the new URI from now on.",
                "Permanent flyttad: följ Location och använd den nya URI:n framöver."));
        rows.add(row(302, REDIRECT_TEMPORARY, NOT_APPLICABLE, GUIDELINE, GL,
                "Moved for now: follow Location but keep the original URI for later calls.",
                "Tillfälligt flyttad: följ Location men behåll den ursprungliga URI:n."));
        rows.add(row(303, REDIRECT_SEE_OTHER, NOT_APPLICABLE, GUIDELINE, GL,
                "See other: fetch the resource at Location with GET.",
                "Se annan: hämta resursen på Location med GET."));
        rows.add(row(304, USE_CACHED_COPY, NOT_APPLICABLE, GUIDELINE, GL,
                "Not modified: the stored copy is still valid; use it.",
                "Inte ändrad: den sparade kopian gäller fortfarande; använd den."));
        rows.add(row(305, NOT_USED, MUST_NOT_RETRY, GUIDELINE, GL,
                "Use Proxy is deprecated and not used; never changes the proxy.",
                "Föråldrad och används inte; proxyinställningen ändras aldrig."));
        rows.add(row(306, NOT_USED, MUST_NOT_RETRY, GUIDELINE, GL,
                "Unused status; treated as an error.",
                "Oanvänd status; behandlas som ett fel."));
        rows.add(row(307, REDIRECT_TEMPORARY, NOT_APPLICABLE, GUIDELINE, GL,
                "Moved for now, as 302, keeping the method and the body.",
                "Tillfälligt flyttad som 302, med samma metod och innehåll."));
        rows.add(row(308, REDIRECT_PERMANENT, NOT_APPLICABLE, RFC, "RFC 9110 §15.4.9",
                "Moved for good, as 301, keeping the method and the body.",
                "Permanent flyttad som 301, med samma metod och innehåll."));

        rows.add(row(400, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "The request is wrong and must be corrected before another try makes sense.",
                "Anropet är felaktigt och måste rättas innan ett nytt försök är meningsfullt."));
        rows.add(notProcessed(row(401, REFRESH_CREDENTIALS, MAY_RETRY, GUIDELINE, GL,
                "Credentials missing or refused: retry once with fresh credentials.",
                "Inloggningsuppgifter saknas eller nekas: ett nytt försök med nya uppgifter."), 1));
        rows.add(row(402, NOT_USED, MUST_NOT_RETRY, GUIDELINE, GL,
                "Payment Required is not used by us; treated as an error.",
                "Används inte av oss; behandlas som ett fel."));
        rows.add(notProcessed(row(403, REFRESH_CREDENTIALS, MAY_RETRY, GUIDELINE, GL,
                "Access refused: retry once only if the credentials can be updated.",
                "Åtkomst nekad: ett nytt försök bara om uppgifterna kan uppdateras."), 1));
        rows.add(row(404, AWAIT_RESOURCE, MAY_RETRY, GUIDELINE, GL,
                "Not found: fail, unless the caller expects the resource to appear soon.",
                "Hittas inte: fel, om inte anroparen väntar på att resursen snart skapas."));
        rows.add(row(405, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "The method is not allowed here; never retried.",
                "Metoden är inte tillåten här; inget omförsök."));
        rows.add(row(406, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "No acceptable representation; the request must be adjusted.",
                "Ingen godtagbar representation; anropet måste justeras."));
        rows.add(notProcessed(row(407, REFRESH_PROXY_CREDENTIALS, MAY_RETRY, GUIDELINE, GL,
                "The proxy wants credentials: as 401, for the proxy.",
                "Proxyn kräver inloggning: som 401, fast mot proxyn."), 1));
        rows.add(notProcessed(row(408, RETRY, SHALL_RETRY, GUIDELINE, GL,
                "The server timed out waiting for the request: retry.",
                "Servern tröttnade på att vänta på anropet: försök igen."), Rule.POLICY_LIMIT));
        rows.add(row(409, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "Conflict with the resource's state; the request must be adjusted.",
                "Konflikt med resursens tillstånd; anropet måste justeras."));
        rows.add(row(410, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "Gone for good; never retried.",
                "Borta för gott; inget omförsök."));
        rows.add(notProcessed(row(411, RESEND_WITH_CONTENT_LENGTH, MAY_RETRY, GUIDELINE, GL,
                "Length required: resend once with a Content-Length.",
                "Längd krävs: skicka en gång till med Content-Length."), 1));
        rows.add(row(412, NOT_USED, MUST_NOT_RETRY, GUIDELINE, GL,
                "Precondition Failed is not used by us; treated as an error.",
                "Används inte av oss; behandlas som ett fel."));
        rows.add(notProcessed(row(413, RETRY_ONLY_AFTER_RETRY_AFTER, MAY_RETRY, GUIDELINE, GL,
                "Too large: no retry, unless Retry-After says the condition is temporary.",
                "För stort: inget omförsök, om inte Retry-After anger att det är tillfälligt."),
                Rule.POLICY_LIMIT));
        rows.add(row(414, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "The URI is too long; never retried.",
                "URI:n är för lång; inget omförsök."));
        rows.add(row(415, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "Unsupported media type; the media type must change.",
                "Medietypen stöds inte och måste ändras."));
        rows.add(row(416, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "The requested range cannot be served; never retried.",
                "Det begärda intervallet kan inte levereras; inget omförsök."));
        rows.add(row(417, NOT_USED, MUST_NOT_RETRY, GUIDELINE, GL,
                "Expectation Failed is not used by us; treated as an error.",
                "Används inte av oss; behandlas som ett fel."));
        rows.add(notProcessed(row(421, RETRY, MAY_RETRY, RFC, "RFC 9110 §15.5.20",
                "Sent to a server that cannot answer for this origin: retry once, on a new connection.",
                "Hamnade hos fel server: ett nytt försök på en ny förbindelse."), 1));
        rows.add(row(422, FAIL, MUST_NOT_RETRY, RFC, "RFC 9110 §15.5.21",
                "The content is understood but cannot be processed; must be corrected.",
                "Innehållet förstås men kan inte behandlas; måste rättas."));
        rows.add(row(423, FAIL, MUST_NOT_RETRY, RFC, "RFC 4918 §11.3",
                "The resource is locked; not retried automatically.",
                "Resursen är låst; inget automatiskt omförsök."));
        rows.add(row(424, FAIL, MUST_NOT_RETRY, RFC, "RFC 4918 §11.4",
                "An action it depended on failed; not retried.",
                "En åtgärd som anropet berodde på misslyckades; inget omförsök."));
        rows.add(notProcessed(row(425, RETRY, MAY_RETRY, RFC, "RFC 8470 §5.2",
                "Too early (sent in TLS early data): retry once.",
                "För tidigt (skickat i TLS early data): ett nytt försök."), 1));
        rows.add(row(426, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "Upgrade required; the protocol of the call must change.",
                "Uppgradering krävs; anropets protokoll måste ändras."));
        rows.add(row(428, FAIL, MUST_NOT_RETRY, RFC, "RFC 6585 §3",
                "The server requires a conditional request; must be corrected.",
                "Servern kräver ett villkorat anrop; måste rättas."));
        rows.add(notProcessed(row(429, RETRY, MAY_RETRY, RFC, "RFC 6585 §4",
                "Too many requests: retry later, honouring Retry-After.",
                "För många anrop: försök senare och respektera Retry-After."), Rule.POLICY_LIMIT));
        rows.add(row(431, FAIL, MUST_NOT_RETRY, RFC, "RFC 6585 §5",
                "Header fields too large; must be corrected.",
                "Headerfälten är för stora; måste rättas."));
        rows.add(row(451, FAIL, MUST_NOT_RETRY, RFC, "RFC 7725 §3",
                "Unavailable for legal reasons; never retried.",
                "Otillgänglig av juridiska skäl; inget omförsök."));

        rows.add(row(500, RETRY, SHALL_RETRY, GUIDELINE, GL,
                "Server error, possibly temporary (a third party may be down): retry.",
                "Serverfel, kanske tillfälligt (en tredje part kan ligga nere): försök igen."));
        rows.add(row(501, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "Not implemented; never retried.",
                "Inte implementerat; inget omförsök."));
        rows.add(row(502, RETRY, MAY_RETRY, GUIDELINE, GL,
                "Bad gateway, possibly temporary: may retry.",
                "Felaktig gateway, kanske tillfälligt: omförsök får göras."));
        rows.add(row(503, RETRY, SHALL_RETRY, GUIDELINE, GL,
                "Service unavailable: retry, honouring Retry-After.",
                "Tjänsten otillgänglig: försök igen och respektera Retry-After."));
        rows.add(row(504, RETRY, MAY_RETRY, GUIDELINE, GL,
                "Gateway timeout, possibly temporary: may retry.",
                "Gateway-timeout, kanske tillfälligt: omförsök får göras."));
        rows.add(row(505, FAIL, MUST_NOT_RETRY, GUIDELINE, GL,
                "HTTP version not supported; never retried.",
                "HTTP-versionen stöds inte; inget omförsök."));
        rows.add(row(506, FAIL, MUST_NOT_RETRY, RFC, "RFC 2295 §8.1",
                "The server's content negotiation is misconfigured; not retried.",
                "Serverns innehållsförhandling är felkonfigurerad; inget omförsök."));
        rows.add(row(507, RETRY, MAY_RETRY, RFC, "RFC 4918 §11.5",
                "The server is out of storage, a condition it calls temporary: may retry.",
                "Servern saknar lagringsutrymme, ett tillfälligt tillstånd: omförsök får göras."));
        rows.add(row(508, FAIL, MUST_NOT_RETRY, RFC, "RFC 5842 §7.2",
                "The server found a loop; not retried.",
                "Servern upptäckte en loop; inget omförsök."));
        rows.add(row(510, FAIL, MUST_NOT_RETRY, RFC, "RFC 2774 §7",
                "Further extensions are required (obsolete status); not retried.",
                "Fler tillägg krävs (föråldrad status); inget omförsök."));
        rows.add(row(511, FAIL, MUST_NOT_RETRY, RFC, "RFC 6585 §6",
                "The network (a captive portal) wants authentication; not retried.",
                "Nätverket (en inloggningsportal) kräver inloggning; inget omförsök."));
        return rows;
    }

    private static Rule klass(int status, Handling handling, Grade grade, Provenance provenance, String reference,
            String english, String swedish) {
        return new Rule(status, true, handling, grade, provenance, reference, english, swedish, false,
                Rule.POLICY_LIMIT);
    }

    private static Rule row(int status, Handling handling, Grade grade, Provenance provenance, String reference,
            String english, String swedish) {
        return new Rule(status, false, handling, grade, provenance, reference, english, swedish, false,
                Rule.POLICY_LIMIT);
    }

    /** Marks a row whose status shows the request was not acted on (RFC 9110 §9.2.2). */
    private static Rule notProcessed(Rule rule, int maxRetries) {
        return new Rule(rule.status(), false, rule.handling(), rule.grade(), rule.provenance(), rule.reference(),
                rule.description(), rule.descriptionSv(), true, maxRetries);
    }
}
