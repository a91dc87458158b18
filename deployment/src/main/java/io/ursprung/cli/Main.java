package io.ursprung.cli;

/** Entry point of {@code bin/ursprung}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(UrsprungCommand.commandLine().execute(args));
  }
}
