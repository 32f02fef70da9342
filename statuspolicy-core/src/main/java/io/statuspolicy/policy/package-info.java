/**
 * The policy as data: a {@link io.statuspolicy.policy.Rule} for every status and status class
 * (the guideline's rows plus the ones we add from the RFCs), the {@link io.statuspolicy.policy.Limits}
 * of a call, redirect safety switches and route scopes. Everything here is immutable;
 * {@link io.statuspolicy.policy.Policy#guideline()} is the organisation's guideline.
 */
package io.statuspolicy.policy;
