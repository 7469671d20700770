package dev.mise.emulators.gemini;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The stand-in's speech: a WAV spoken by {@code espeak-ng} when it is installed (Japanese text with
 * its Japanese voice), else a short tone, so audio pipelines (FFmpeg muxing) get a real file either
 * way.
 */
final class SpeechAudio {

  static final String MIME_TYPE = "audio/wav";

  private static final int SAMPLE_RATE = 24_000;

  private final String command;

  SpeechAudio(String command) {
    this.command = command;
  }

  byte[] wav(String text) {
    List<String> commandLine = new ArrayList<>(List.of(command, "--stdout"));
    if (text.codePoints().anyMatch(SpeechAudio::japanese)) {
      commandLine.addAll(List.of("-v", "ja"));
    }
    commandLine.add(text.isBlank() ? "stand-in" : text);
    byte[] spoken = ExternalCommand.run(commandLine, null);
    return spoken != null && spoken.length > 44 ? withSizes(spoken) : tone();
  }

  /**
   * espeak-ng cannot seek back on a pipe, so its header says "unknown length" (0x7ffff000);
   * stricter readers want the real RIFF and data sizes, written here when the layout is the
   * canonical 44-byte one.
   */
  private static byte[] withSizes(byte[] wav) {
    String dataTag = new String(wav, 36, 4, java.nio.charset.StandardCharsets.US_ASCII);
    if (dataTag.equals("data")) {
      ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(4, wav.length - 8);
      header.putInt(40, wav.length - 44);
    }
    return wav;
  }

  private static boolean japanese(int codePoint) {
    Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
    return script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HAN;
  }

  /** Half a second of a quiet 440 Hz tone: 16-bit mono PCM in a RIFF/WAVE container. */
  static byte[] tone() {
    int samples = SAMPLE_RATE / 2;
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      pcm.putShort((short) (Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE) * 3000));
    }
    return wavContainer(pcm.array());
  }

  private static byte[] wavContainer(byte[] pcm) {
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    header.putInt(36 + pcm.length);
    header.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    header.putInt(16).putShort((short) 1).putShort((short) 1);
    header.putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16);
    header.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    header.putInt(pcm.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(pcm);
    return out.toByteArray();
  }
}
