/** Second-level schedulers shipped with Tandem: batch jobs, long-running services and gangs. */
package io.tandem.frameworks;
