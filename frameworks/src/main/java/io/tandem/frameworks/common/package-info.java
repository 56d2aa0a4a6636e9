/**
 * What the shipped schedulers share: placement {@link io.tandem.frameworks.common.Constraint}s on
 * agent attributes ({@code rack:IS:r1}, {@code hostname:UNIQUE}, {@code zone:MAX_PER:2}), the
 * {@link io.tandem.frameworks.common.AgentView} they judge, durations as people write them, and the
 * operator API's agent list for telling a user at once that a demand can never be met.
 */
package io.tandem.frameworks.common;
