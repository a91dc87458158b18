package io.ursprung.consumer;

/** What a consumer reads, and the topic it reads by default. */
public enum Source {
  /** Provenance events of the auditd plugin (docs/events.md). */
  AUDITD("auditd"),
  /** Spectrum Scale clustered watch folder JSON from mmwatch's kafkasink. */
  SCALE("gpfs"),
  /** Job lifecycle and accounting records uploaded by provd from the job spool (docs/jobs.md). */
  JOBS("jobs"),
  /**
   * CamFlow hosts over MQTT, not Kafka (io.ursprung.consumer.camflow); the "topic" is the MQTT
   * provenance topic prefix.
   */
  CAMFLOW("camflow/provenance/");

  private final String defaultTopic;

  Source(String defaultTopic) {
    this.defaultTopic = defaultTopic;
  }

  /** The Kafka topic used when none is configured. */
  public String defaultTopic() {
    return defaultTopic;
  }

  /** The lower-case name used on the command line and in group ids. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
