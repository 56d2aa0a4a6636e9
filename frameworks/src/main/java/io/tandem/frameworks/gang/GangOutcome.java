package io.tandem.frameworks.gang;

/** How a gang ended, and why. */
public record GangOutcome(boolean succeeded, String message) {}
