package dev.slipway.api.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The handful of S3 calls the blob store needs, signed with AWS Signature Version 4 over {@code java.net.http}, with
 * path-style addressing ({@code <endpoint>/<bucket>/<key>}) so that MinIO, Ceph, s3proxy and AWS all work.
 * Keys are restricted by the callers to {@code [a-z0-9/._-]}, so no key needs escaping.
 */
final class S3Client {

    /** One listed object. */
    record S3Object(String key, long size, Instant lastModified) {
    }

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final URI endpoint;
    private final String region;
    private final String bucket;
    private final String accessKey;
    private final String secretKey;
    private final HttpClient http;

    S3Client(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.region = region;
        this.bucket = bucket;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        // HTTP/1.1: an h2c upgrade attempt on a GET confuses some S3 servers (s3proxy answers with an empty body).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    void createBucketIfMissing() {
        HttpResponse<InputStream> r = send("HEAD", "", Map.of(), Map.of(), null, 0, EMPTY_SHA256);
        close(r);
        if (r.statusCode() == 404) {
            check(send("PUT", "", Map.of(), Map.of(), null, 0, EMPTY_SHA256), "create bucket " + bucket);
        }
    }

    void put(String key, byte[] body, int length) {
        String sha = HexFormat.of().formatHex(sha256(body, length));
        check(send("PUT", key, Map.of(), Map.of(), () -> new java.io.ByteArrayInputStream(body, 0, length), length, sha),
                "put " + key);
    }

    /** Streams {@code length} bytes from {@code body} without buffering them (the payload is sent unsigned). */
    void putStream(String key, Supplier<InputStream> body, long length) {
        check(send("PUT", key, Map.of(), Map.of(), body, length, "UNSIGNED-PAYLOAD"), "put " + key);
    }

    void copy(String fromKey, String toKey) {
        check(send("PUT", toKey, Map.of(), Map.of("x-amz-copy-source", "/" + bucket + "/" + fromKey), null, 0,
                EMPTY_SHA256), "copy " + fromKey + " to " + toKey);
    }

    /** The object's size and modification time, or null if it does not exist. */
    S3Object head(String key) {
        HttpResponse<InputStream> r = send("HEAD", key, Map.of(), Map.of(), null, 0, EMPTY_SHA256);
        close(r);
        if (r.statusCode() == 404) {
            return null;
        }
        check(r, "head " + key);
        long size = r.headers().firstValueAsLong("Content-Length").orElse(0);
        Instant modified = r.headers().firstValue("Last-Modified")
                .map(v -> Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(v))).orElse(Instant.now());
        return new S3Object(key, size, modified);
    }

    /** Opens {@code length} bytes from {@code offset} ({@code -1}: to the end), or null if the object is missing. */
    InputStream get(String key, long offset, long length) {
        Map<String, String> headers = offset == 0 && length < 0 ? Map.of()
                : Map.of("range", "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1)));
        HttpResponse<InputStream> r = send("GET", key, Map.of(), headers, null, 0, EMPTY_SHA256);
        if (r.statusCode() == 404) {
            close(r);
            return null;
        }
        if (r.statusCode() / 100 != 2) {
            check(r, "get " + key);
        }
        return r.body();
    }

    void delete(String key) {
        HttpResponse<InputStream> r = send("DELETE", key, Map.of(), Map.of(), null, 0, EMPTY_SHA256);
        if (r.statusCode() != 404) {
            check(r, "delete " + key);
        } else {
            close(r);
        }
    }

    /** All objects under {@code prefix}, in key order, following continuation tokens. */
    List<S3Object> list(String prefix) {
        List<S3Object> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new TreeMap<>();
            q.put("list-type", "2");
            q.put("prefix", prefix);
            if (token != null) {
                q.put("continuation-token", token);
            }
            HttpResponse<InputStream> r = send("GET", "", q, Map.of(), null, 0, EMPTY_SHA256);
            if (r.statusCode() / 100 != 2) {
                check(r, "list " + prefix);
            }
            token = parseList(r.body(), out);
        } while (token != null);
        return out;
    }

    private static String parseList(InputStream body, List<S3Object> out) {
        try (body) {
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader x = f.createXMLStreamReader(body);
            String key = null;
            long size = 0;
            Instant modified = null;
            String next = null;
            boolean truncated = false;
            while (x.hasNext()) {
                int event = x.next();
                if (event == XMLStreamReader.END_ELEMENT && x.getLocalName().equals("Contents")) {
                    out.add(new S3Object(key, size, modified));
                    continue;
                }
                if (event != XMLStreamReader.START_ELEMENT) {
                    continue;
                }
                switch (x.getLocalName()) {
                    case "Key" -> key = x.getElementText();
                    case "Size" -> size = Long.parseLong(x.getElementText());
                    case "LastModified" -> modified = Instant.parse(x.getElementText());
                    case "IsTruncated" -> truncated = Boolean.parseBoolean(x.getElementText());
                    case "NextContinuationToken" -> next = x.getElementText();
                    default -> {
                    }
                }
            }
            return truncated ? next : null;
        } catch (IOException | XMLStreamException e) {
            throw new BlobStoreException(BlobStoreException.Reason.BACKEND, "bad S3 list response: " + e, e);
        }
    }

    private HttpResponse<InputStream> send(String method, String key, Map<String, String> query,
            Map<String, String> extraHeaders, Supplier<InputStream> body, long length, String payloadSha) {
        String path = "/" + bucket + (key.isEmpty() ? "" : "/" + key);
        String basePath = endpoint.getRawPath();
        String canonicalUri = basePath + path;
        StringBuilder qs = new StringBuilder();
        new TreeMap<>(query).forEach((k, v) -> {
            if (!qs.isEmpty()) {
                qs.append('&');
            }
            qs.append(encode(k)).append('=').append(encode(v));
        });
        String amzDate = AMZ_DATE.format(Instant.now());
        String day = amzDate.substring(0, 8);
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");

        TreeMap<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-amz-content-sha256", payloadSha);
        signed.put("x-amz-date", amzDate);
        extraHeaders.forEach((k, v) -> signed.put(k.toLowerCase(), v));
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v.trim()).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + "\n" + canonicalUri + "\n" + qs + "\n" + canonicalHeaders + "\n"
                + signedHeaders + "\n" + payloadSha;
        String scope = day + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HexFormat.of().formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8), -1));
        byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        k = hmac(k, region);
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(k, toSign));

        HttpRequest.BodyPublisher publisher = body == null || length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path + (qs.isEmpty() ? "" : "?" + qs)))
                .method(method, publisher)
                .header("x-amz-content-sha256", payloadSha)
                .header("x-amz-date", amzDate)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        extraHeaders.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Reason.BACKEND, method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobStoreException(BlobStoreException.Reason.BACKEND, "interrupted", e);
        }
    }

    private static void check(HttpResponse<InputStream> r, String what) {
        if (r.statusCode() / 100 == 2) {
            close(r);
            return;
        }
        String detail;
        try (InputStream in = r.body()) {
            detail = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
        } catch (IOException e) {
            detail = e.toString();
        }
        throw new BlobStoreException(BlobStoreException.Reason.BACKEND,
                "S3 " + what + " failed with " + r.statusCode() + ": " + detail);
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing left to read
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] sha256(byte[] data, int length) {
        var md = Digest.Algorithm.SHA256.newMessageDigest();
        md.update(data, 0, length < 0 ? data.length : length);
        return md.digest();
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
