package dev.mise.emulators.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One command line of the deploy plan, kept as words rather than text so that it can be both
 * printed for bash (every word quoted as needed) and run directly in tests. A word may embed the
 * output of another command, e.g. the project number in a service agent's e-mail; such a
 * substitution carries an example of its output, used when the command runs without bash.
 */
public record ShellCommand(List<Word> words) {

  public ShellCommand {
    words = List.copyOf(words);
  }

  public static ShellCommand of(String... words) {
    List<Word> list = new ArrayList<>();
    for (String word : words) {
      list.add(Word.text(word));
    }
    return new ShellCommand(list);
  }

  /** This command with {@code more} literal words appended. */
  public ShellCommand with(String... more) {
    ShellCommand appended = this;
    for (String word : more) {
      appended = appended.with(Word.text(word));
    }
    return appended;
  }

  public ShellCommand with(Word word) {
    List<Word> list = new ArrayList<>(words);
    list.add(word);
    return new ShellCommand(list);
  }

  /** The command as one bash line. */
  public String bash() {
    return words.stream().map(Word::bash).collect(Collectors.joining(" "));
  }

  /** The argument vector, with each substitution replaced by its example output. */
  public List<String> exampleArgv() {
    return argv(Part.Output::example);
  }

  /** The argument vector, with each substitution replaced by what {@code output} says. */
  List<String> argv(Function<Part.Output, String> output) {
    return words.stream().map(word -> word.text(output)).toList();
  }

  /** This command and every command substituted into it, innermost last. */
  public List<ShellCommand> withSubstitutions() {
    List<ShellCommand> all = new ArrayList<>();
    all.add(this);
    for (Word word : words) {
      for (Part part : word.parts()) {
        if (part instanceof Part.Output output) {
          all.addAll(output.command().withSubstitutions());
        }
      }
    }
    return all;
  }

  /** One shell word: literal text and command outputs, concatenated. */
  public record Word(List<Part> parts) {

    public Word {
      parts = List.copyOf(parts);
    }

    public static Word text(String text) {
      return new Word(List.of(new Part.Text(text)));
    }

    public static Word of(Part... parts) {
      return new Word(List.of(parts));
    }

    String bash() {
      return parts.stream()
          .map(
              part ->
                  switch (part) {
                    case Part.Text t -> quote(t.text());
                    case Part.Output o -> "\"$(" + o.command().bash() + ")\"";
                  })
          .collect(Collectors.joining());
    }

    String text(Function<Part.Output, String> output) {
      return parts.stream()
          .map(
              part ->
                  switch (part) {
                    case Part.Text t -> t.text();
                    case Part.Output o -> output.apply(o);
                  })
          .collect(Collectors.joining());
    }
  }

  /** A piece of a word. */
  public sealed interface Part {

    record Text(String text) implements Part {}

    /**
     * What {@code command} prints (trailing newline dropped, as bash does); {@code example} stands
     * in for it.
     */
    record Output(ShellCommand command, String example) implements Part {}
  }

  // Characters bash gives no meaning to inside a word (= : , @ % + . / - _ included).
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  /** {@code text} as a single bash word: unchanged when plain, otherwise single-quoted. */
  public static String quote(String text) {
    if (PLAIN.matcher(text).matches()) {
      return text;
    }
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
