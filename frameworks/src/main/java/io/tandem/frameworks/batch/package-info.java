/**
 * The batch framework: jobs of stages forming a DAG, read strictly from YAML ({@link
 * io.tandem.frameworks.batch.JobReader}), run by {@link io.tandem.frameworks.batch.BatchScheduler}
 * and served over HTTP by {@link io.tandem.frameworks.batch.BatchService}.
 */
package io.tandem.frameworks.batch;
