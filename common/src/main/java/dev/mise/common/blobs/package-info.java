/**
 * Object storage for uploads and generated assets: the port, its Cloud Storage and local-directory
 * adapters, and the key rules both share.
 *
 * <pre>{@code
 * BlobStore blobs = BlobStores.fromEnv(Env.system()); // ASSETS_DIR or ASSETS_BUCKET
 * if (blobs.putIfAbsent("gen/" + session + "/" + item + ".jpg", jpeg, "image/jpeg")) { ... }
 * String url = blobs.signedUrl(key, Duration.ofDays(7));
 * }</pre>
 */
package dev.mise.common.blobs;
