package dev.mise.emulators.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the deploy plan: a title, the bash line deploy.sh runs, and the commands in it. The
 * line is self-contained (it can be pasted into a shell) and safe to run again: creations are
 * guarded by a probe, settings are applied whether or not they changed.
 */
public record PlanStep(String title, String bash, List<ShellCommand> commands) {

  public PlanStep {
    commands = List.copyOf(commands);
  }

  static PlanStep run(String title, ShellCommand command) {
    return new PlanStep(title, command.bash(), List.of(command));
  }

  /** Runs {@code create} unless {@code probe} succeeds (the resource exists). */
  static PlanStep createUnlessExists(String title, ShellCommand probe, ShellCommand create) {
    return new PlanStep(
        title, probe.bash() + " >/dev/null 2>&1 || " + create.bash(), List.of(probe, create));
  }

  /** Runs {@code update} when {@code probe} succeeds, {@code create} otherwise. */
  static PlanStep createOrUpdate(
      String title, ShellCommand probe, ShellCommand create, ShellCommand update) {
    return new PlanStep(
        title,
        "if "
            + probe.bash()
            + " >/dev/null 2>&1; then "
            + update.bash()
            + "; else "
            + create.bash()
            + "; fi",
        List.of(probe, update, create));
  }

  /** Runs {@code action} unless {@code probe} prints something (the setting is already there). */
  static PlanStep unlessPrinted(String title, ShellCommand probe, ShellCommand action) {
    return new PlanStep(
        title,
        "[ -n \"$(" + probe.bash() + " 2>/dev/null)\" ] || " + action.bash(),
        List.of(probe, action));
  }

  /**
   * Runs {@code create}, taking "already exists" for success: for resources, such as Firestore
   * indexes, that have no name to probe for.
   */
  static PlanStep createToleratingExisting(String title, ShellCommand create) {
    return new PlanStep(
        title,
        "out=$("
            + create.bash()
            + " 2>&1) && printf '%s\\n' \"$out\" || grep -qi 'already exists' <<<\"$out\""
            + " || { printf '%s\\n' \"$out\" >&2; false; }",
        List.of(create));
  }

  /** Runs {@code command} with {@code input} on its standard input. */
  static PlanStep withInput(String title, String input, ShellCommand command) {
    return new PlanStep(
        title,
        "printf '%s\\n' " + ShellCommand.quote(input) + " | " + command.bash(),
        List.of(command));
  }

  /** A line that runs no gcloud command (e.g. the edge's deploy). */
  static PlanStep shell(String title, String bash) {
    return new PlanStep(title, bash, List.of());
  }

  /** Every command this step may run, substitutions included. */
  public List<ShellCommand> allCommands() {
    List<ShellCommand> all = new ArrayList<>();
    commands.forEach(c -> all.addAll(c.withSubstitutions()));
    return all;
  }
}
