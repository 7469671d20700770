package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.mise.common.tasks.TaskRequest;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.MultipartBody;
import dev.mise.common.testing.PubSubEvents;
import dev.mise.common.testing.RecordingEventBus;
import dev.mise.common.testing.ScriptedModels;
import org.junit.jupiter.api.Test;

/**
 * The whole flow through the four functions with in-memory ports: upload, the published message to
 * the worker, the enqueued task to the cleanup step, the status. Also the measurement of what one
 * job costs in Firestore writes.
 */
class OcrFlowTest {
  private final OcrTestKit kit = new OcrTestKit();

  @Test
  void uploadToCompletedCostsSixWrites() throws Exception {
    kit.models.then(
        ScriptedModels.text("Fluffy Pancakes\nServes 4\n200 g plain flour"),
        ScriptedModels.text(RecipeExtractorTest.PANCAKES));
    MultipartBody body =
        new MultipartBody().file("image", "p.png", "image/png", OcrTestKit.sample("pancakes.png"));
    FakeHttpResponse accepted = new FakeHttpResponse();
    new Upload(kit.services)
        .service(
            FakeHttpRequest.post("/api/ocr/upload")
                .header("Authorization", OcrTestKit.userToken("alice"))
                .body(body.contentType(), body.build()),
            accepted);
    String jobId = accepted.json().get("jobId").getAsString();

    RecordingEventBus.Published message = kit.bus.published("ocr-jobs").get(0);
    new OcrWorker(kit.services)
        .accept(
            PubSubEvents.messagePublished(
                OcrTestKit.PROJECT,
                "ocr-jobs",
                message.messageId(),
                message.data(),
                message.attributes()));

    TaskRequest task = kit.tasks.tasks().get(0);
    FakeHttpResponse cleaned = new FakeHttpResponse();
    new RecipeCleanup(kit.services)
        .service(
            FakeHttpRequest.post("/")
                .body("application/json", task.body())
                .header("Authorization", OcrTestKit.tasksToken())
                .header("X-CloudTasks-TaskName", task.taskId())
                .header("X-CloudTasks-TaskRetryCount", "0"),
            cleaned);
    assertEquals(200, cleaned.status(), cleaned.bodyText());

    FakeHttpResponse status = new FakeHttpResponse();
    new Status(kit.services)
        .service(
            FakeHttpRequest.get("/api/ocr/status/" + jobId)
                .header("Authorization", OcrTestKit.userToken("alice")),
            status);
    JsonObject view = status.json();
    assertEquals("completed", view.get("status").getAsString());
    assertEquals(
        "Pancakes",
        view.getAsJsonObject("result").getAsJsonObject("recipe").get("title").getAsString());
    assertEquals(
        6, kit.counted.writes(), "create, OCR lease + commit, seen event, cleanup lease + commit");
  }
}
