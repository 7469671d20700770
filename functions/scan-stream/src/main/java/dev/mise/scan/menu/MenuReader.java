package dev.mise.scan.menu;

import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import dev.mise.common.models.ModelReply;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import java.util.List;
import java.util.Set;

/**
 * The vision call: one request with the photo and the response schema; an answer that fails {@link
 * MenuAnswer}'s checks gets exactly one repair request, and if that fails too the scan fails with a
 * 502 problem rather than stream an invalid menu.
 */
public final class MenuReader {

  /** A validated menu and how many model calls it took (1, or 2 after a repair). */
  public record Reading(Menu menu, int calls) {}

  private final Models models;

  public MenuReader(Models models) {
    this.models = models;
  }

  /**
   * Reads the menu. Model failures ({@link dev.mise.common.models.ModelException}) pass through; an
   * answer still invalid after the repair throws a {@link ProblemException}.
   */
  public Reading read(ModelRequest request, Set<Dietary> dietary) {
    ModelReply first = models.generate(request);
    MenuAnswer.Result result = MenuAnswer.read(first.text(), dietary);
    if (result instanceof MenuAnswer.Result.Valid valid) {
      return new Reading(valid.menu(), 1);
    }
    List<Problem.FieldError> problems = ((MenuAnswer.Result.Invalid) result).errors();
    ModelReply second = models.generate(MenuPrompt.repair(request, first.text(), problems));
    MenuAnswer.Result repaired = MenuAnswer.read(second.text(), dietary);
    if (repaired instanceof MenuAnswer.Result.Valid valid) {
      return new Reading(valid.menu(), 2);
    }
    throw new Unreadable(((MenuAnswer.Result.Invalid) repaired).errors());
  }

  /**
   * The model's answer was invalid twice. The client gets a plain 502; the pointers (into the
   * model's answer, not the request) are for the log.
   */
  public static final class Unreadable extends ProblemException {
    private final transient List<Problem.FieldError> errors;

    Unreadable(List<Problem.FieldError> errors) {
      super(
          Problem.of(
              502,
              "model-output-invalid",
              "Unreadable model answer",
              "The menu could not be read reliably; try another photo."));
      this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
      return errors;
    }
  }
}
