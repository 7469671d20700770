package dev.mise.common.auth;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Keys generated for a test, a token signer, and a local key server on a free port. */
final class TestKeys {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  static KeyPair rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  static String sign(String kid, PrivateKey key, JsonObject claims)
      throws GeneralSecurityException {
    JsonObject header = new JsonObject();
    header.addProperty("alg", "RS256");
    header.addProperty("typ", "JWT");
    if (kid != null) {
      header.addProperty("kid", kid);
    }
    String signed = encode(header) + "." + encode(claims);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + B64.encodeToString(signer.sign());
  }

  static String encode(JsonObject json) {
    return B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String jwks(String kid, RSAPublicKey key) {
    JsonObject jwk = new JsonObject();
    jwk.addProperty("kty", "RSA");
    jwk.addProperty("alg", "RS256");
    jwk.addProperty("use", "sig");
    jwk.addProperty("kid", kid);
    jwk.addProperty("n", B64.encodeToString(unsigned(key.getModulus().toByteArray())));
    jwk.addProperty("e", B64.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
    JsonArray keys = new JsonArray();
    keys.add(jwk);
    JsonObject set = new JsonObject();
    set.add("keys", keys);
    return set.toString();
  }

  private static byte[] unsigned(byte[] bytes) {
    return bytes.length > 1 && bytes[0] == 0
        ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length)
        : bytes;
  }

  /** A self-signed certificate and its key, made by the JDK's keytool (no key in the repo). */
  record CertifiedKey(String pem, PrivateKey key) {}

  static CertifiedKey selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("test.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-alias",
                "k",
                "-dname",
                "CN=mise-test",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed");
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    Certificate cert = keyStore.getCertificate("k");
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return new CertifiedKey(pem, (PrivateKey) keyStore.getKey("k", "changeit".toCharArray()));
  }

  /** Serves a key document with a Cache-Control header, counting requests. */
  static final class KeyServer implements AutoCloseable {
    final AtomicReference<String> body = new AtomicReference<>("{}");
    final AtomicReference<String> cacheControl = new AtomicReference<>("public, max-age=3600");
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    KeyServer() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/keys",
          exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Cache-Control", cacheControl.get());
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
