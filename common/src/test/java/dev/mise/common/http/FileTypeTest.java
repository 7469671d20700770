package dev.mise.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileTypeTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] ftyp(String major, String... compatible) {
    ByteBuffer box = ByteBuffer.allocate(16 + 4 * compatible.length + 8);
    box.putInt(16 + 4 * compatible.length).put("ftyp".getBytes()).put(major.getBytes()).putInt(0);
    for (String brand : compatible) {
      box.put(brand.getBytes());
    }
    box.put("....meta".getBytes());
    return box.array();
  }

  @Test
  void recognisesEachTypeByItsFirstBytes() {
    assertEquals(
        Optional.of(FileType.JPEG), FileType.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10)));
    assertEquals(
        Optional.of(FileType.PNG),
        FileType.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0)));
    assertEquals(Optional.of(FileType.GIF), FileType.sniff("GIF89a....".getBytes()));
    assertEquals(Optional.of(FileType.WEBP), FileType.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes()));
    assertEquals(Optional.of(FileType.PDF), FileType.sniff("%PDF-1.7\n".getBytes()));
    assertEquals(Optional.of(FileType.HEIC), FileType.sniff(ftyp("heic", "mif1", "heic")));
    assertEquals(Optional.of(FileType.HEIC), FileType.sniff(ftyp("mif1", "mif1", "heic")));
    assertEquals(Optional.of(FileType.HEIF), FileType.sniff(ftyp("mif1", "mif1")));
  }

  @Test
  void refusesLookalikes() {
    assertEquals(Optional.empty(), FileType.sniff(new byte[0]));
    assertEquals(
        Optional.empty(),
        FileType.sniff("just some text, named photo.jpg".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Optional.empty(), FileType.sniff(bytes(0xFF, 0xD8)));
    assertEquals(Optional.empty(), FileType.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes()));
    assertEquals(Optional.empty(), FileType.sniff(ftyp("isom", "isom", "mp41")));
    // AVIF is HEIF-based (mif1) but AV1-coded: not what the HEIC/HEIF types promise.
    assertEquals(Optional.empty(), FileType.sniff(ftyp("avif", "avif", "mif1", "miaf")));
  }
}
