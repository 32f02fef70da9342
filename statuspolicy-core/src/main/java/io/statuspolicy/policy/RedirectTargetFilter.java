package io.statuspolicy.policy;

/**
 * Which redirect targets are refused by where they point, part of {@link RedirectSafety}. A
 * public server must not be able to send the client, by a redirect, to an address that only the
 * client's side can reach: a cloud metadata service on 169.254.169.254, an admin port on
 * loopback, a host on the private network (server-side request forgery).
 *
 * <p>The decision function judges the hosts of the redirecting request and of the target as
 * written, without DNS (see {@code io.statuspolicy.http.AddressScope}): literal addresses in
 * every numeric form, {@code localhost} and {@code *.localhost}. Any other name counts as
 * public, so a name that resolves to an internal address passes this filter; catching that
 * needs a check of the resolved address when the connection is made, which is the executor's
 * job.
 */
public enum RedirectTargetFilter {
    /**
     * The default: a redirect from a public host is not followed to a loopback, link-local,
     * private or unspecified address. Loopback to loopback, private to private (and any hop that
     * starts at an internal address) and anything to a public address stay allowed, so calls
     * and tests that run on 127.0.0.1 are not affected.
     */
    NO_PUBLIC_TO_INTERNAL,
    /** No target is refused for where it points: for teams whose public hosts redirect inward on purpose. */
    ALLOW_ALL
}
