package dev.mise.common.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelReply;
import dev.mise.common.models.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedModelsTest {

  @Test
  void predicatesPickTheirOutcomesAndRequestsAreRecorded() {
    ScriptedModels models =
        new ScriptedModels()
            .when(ModelRequest::wantImage, ScriptedModels.failure(ModelException.Kind.UNAVAILABLE))
            .then(ScriptedModels.text("menu"));

    ModelException failed =
        assertThrows(
            ModelException.class, () -> models.generate(ModelRequest.image("img", "soup")));
    ModelReply menu = models.generate(ModelRequest.text("vision", "read"));

    assertEquals(ModelException.Kind.UNAVAILABLE, failed.kind());
    assertEquals("menu", menu.text());
    assertEquals(
        List.of("img", "vision"), models.requests().stream().map(ModelRequest::model).toList());
  }

  @Test
  void streamsHandOverChunksAndGenerateJoinsThem() {
    ScriptedModels models =
        new ScriptedModels().then(ScriptedModels.chunks("a", "b"), ScriptedModels.chunks("c", "d"));
    List<String> seen = new ArrayList<>();

    ModelReply streamed = models.stream(ModelRequest.text("m", "x"), c -> seen.add(c.text()));
    ModelReply generated = models.generate(ModelRequest.text("m", "y"));

    assertEquals(List.of("a", "b"), seen);
    assertEquals("ab", streamed.text());
    assertEquals("cd", generated.text());
  }

  @Test
  void unscriptedCallsFailLoudlyUnlessThereIsAFallback() {
    ScriptedModels strict = new ScriptedModels();
    ScriptedModels lenient = new ScriptedModels().otherwise(r -> ScriptedModels.text("default"));

    assertThrows(AssertionError.class, () -> strict.generate(ModelRequest.text("m", "x")));
    assertEquals("default", lenient.generate(ModelRequest.text("m", "x")).text());
  }

  @Test
  void embeddingsAreStablePerTextAndCanFail() {
    ScriptedModels models = new ScriptedModels().failNextEmbed(ModelException.Kind.RATE_LIMITED);

    assertThrows(ModelException.class, () -> models.embed("e", List.of("a"), 4));
    List<float[]> vectors = models.embed("e", List.of("soup", "soup"), 4);

    assertArrayEquals(vectors.get(0), vectors.get(1));
    assertEquals(2, models.embedCalls().size());
  }
}
