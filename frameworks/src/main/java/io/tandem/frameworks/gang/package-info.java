/**
 * Gangs: N members launched all together or not at all ({@link io.tandem.frameworks.gang.GangScheduler}),
 * run as a framework of their own by {@link io.tandem.frameworks.gang.GangRunner}.
 */
package io.tandem.frameworks.gang;
