/**
 * Policy files: a {@link io.statuspolicy.policy.Policy} kept as YAML.
 *
 * <p>{@link io.statuspolicy.config.PolicyFile} reads and writes the files;
 * {@link io.statuspolicy.config.PolicyFileException} reports a broken one with its file, line,
 * column and key. Everything else in the package is machinery. The format is described in the
 * module's README.
 */
package io.statuspolicy.config;
