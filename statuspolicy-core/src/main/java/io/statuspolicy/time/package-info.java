/** Waiting between attempts, injectable so that tests run in virtual time. */
package io.statuspolicy.time;
