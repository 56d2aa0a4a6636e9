package io.tandem.allocator;

import io.tandem.model.FrameworkId;

/** A framework in one of its roles, as a receiver of resources in one allocation round. */
record Candidate(FrameworkId framework, String role) {}
