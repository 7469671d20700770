package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.logging.Log;
import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.pipeline.StepFailedException;
import dev.mise.common.testing.ScriptedModels;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecipeExtractorTest {
  static final String PANCAKES =
      """
      {"title":"Pancakes","servings":4,
       "ingredients":[{"quantity":200,"unit":"g","item":"flour","note":null},
                      {"quantity":2,"unit":null,"item":"eggs","note":"beaten"},
                      {"quantity":null,"unit":null,"item":"salt","note":"a pinch"}],
       "steps":["Mix the flour and eggs.","Fry in butter."],
       "notes":[],"language":"en"}
      """;

  private final ScriptedModels models = new ScriptedModels();
  private final RecipeExtractor extractor =
      new RecipeExtractor(models, "gemini-2.5-flash", Duration.ofSeconds(30));
  private final Log log = Log.to("test");

  @Test
  void structuresAValidAnswerInOneCall() throws Exception {
    models.then(ScriptedModels.text(PANCAKES));
    Recipe recipe = extractor.extract("PANCAKES\n200 g flour\n2 eggs", log);
    assertEquals("Pancakes", recipe.title());
    assertEquals(200.0, recipe.ingredients().get(0).quantity());
    assertNull(recipe.ingredients().get(1).unit());
    assertEquals(2, recipe.steps().size());
    ModelRequest request = models.requests().get(0);
    assertEquals(Recipe.SCHEMA, request.responseSchema());
    assertEquals(Duration.ofSeconds(30), request.timeout());
    assertTrue(((ModelRequest.Part.Text) request.parts().get(0)).text().contains("200 g flour"));
  }

  @Test
  void repairsOnceWhenTheAnswerIsNotJsonOrMissesFields() throws Exception {
    models.then(ScriptedModels.text("Sure! Here is the recipe: {"), ScriptedModels.text(PANCAKES));
    assertEquals("Pancakes", extractor.extract("text", log).title());
    assertEquals(2, models.requests().size());
    String repair = ((ModelRequest.Part.Text) models.requests().get(1).parts().get(1)).text();
    assertTrue(repair.contains("malformed JSON"), repair);

    models.then(
        ScriptedModels.text("{\"title\":\"Soup\",\"language\":\"en\"}"),
        ScriptedModels.text(PANCAKES));
    extractor.extract("text", log);
    String missing = ((ModelRequest.Part.Text) models.requests().get(3).parts().get(1)).text();
    assertTrue(missing.contains("/ingredients: is required"), missing);
  }

  @Test
  void aSecondInvalidAnswerFailsTheJobWithACode() {
    models.then(ScriptedModels.text("not json"), ScriptedModels.text("{\"title\":\"\"}"));
    StepFailedException e =
        assertThrows(StepFailedException.class, () -> extractor.extract("x", log));
    assertEquals("invalid_model_output", e.code());
    assertEquals(2, models.requests().size());
  }

  @Test
  void valuesOutsideTheRecipesRulesAreInvalid() {
    models.then(
        ScriptedModels.text(PANCAKES.replace("\"servings\":4", "\"servings\":-3")),
        ScriptedModels.text(PANCAKES.replace("\"en\"", "\"English\"")));
    assertEquals(
        "invalid_model_output",
        assertThrows(StepFailedException.class, () -> extractor.extract("x", log)).code());
  }

  @Test
  void anEmptyRecipeCountsAsInvalid() {
    String empty =
        "{\"title\":\"Menu\",\"servings\":null,\"ingredients\":[],\"steps\":[],\"notes\":[],\"language\":\"en\"}";
    models.then(ScriptedModels.text(empty), ScriptedModels.text(empty));
    assertThrows(StepFailedException.class, () -> extractor.extract("x", log));
  }

  @Test
  void blockedIsPermanentRateLimitsAreThrownOnForTheQueue() {
    models.then(ScriptedModels.failure(ModelException.Kind.BLOCKED));
    assertEquals(
        "blocked",
        assertThrows(StepFailedException.class, () -> extractor.extract("x", log)).code());
    models.then(ScriptedModels.failure(ModelException.Kind.RATE_LIMITED));
    assertEquals(
        ModelException.Kind.RATE_LIMITED,
        assertThrows(ModelException.class, () -> extractor.extract("x", log)).kind());
  }
}
