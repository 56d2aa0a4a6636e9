package io.tandem.master.maintenance;

/**
 * Mesos's machine modes. UP: not in the schedule (the default). DRAINING: in the schedule; its
 * agents still run and are offered, their offers carry the unavailability, frameworks get inverse
 * offers. DOWN: under maintenance; its agents are removed and may not register.
 */
public enum MachineMode { UP, DRAINING, DOWN }
