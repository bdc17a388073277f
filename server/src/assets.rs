//! The site's static files (the stylesheet, the icon, and the islands' script and wasm
//! when a page has an island), served the way a CDN would: each also under a name with
//! its content hash, cached for a year as immutable; each compressed once with brotli
//! and gzip (the first time it is asked for, off the async threads), never per request.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Files larger than this are compressed at a faster brotli level (the best level takes
/// seconds per megabyte).
const BEST_LEVEL_MAX: usize = 512 * 1024;

#[derive(Clone)]
struct Asset {
    bytes: axum::body::Bytes,
    content_type: &'static str,
    etag: String,
    hashed: bool,
    brotli: Arc<OnceCell<axum::body::Bytes>>,
    gzip: Arc<OnceCell<axum::body::Bytes>>,
}

/// Every file under the site root, by the path it is served at (both its own name and
/// its hashed name).
#[derive(Clone, Default)]
pub struct Assets {
    files: Arc<HashMap<String, Asset>>,
    hashed_names: Arc<HashMap<String, String>>,
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `pkg/klankbord.css` with hash `ab12` becomes `pkg/klankbord.ab12.css`.
fn hashed_name(path: &str, hash: &str) -> String {
    let (dir, file) = match path.rsplit_once('/') {
        Some((dir, file)) => (format!("{dir}/"), file),
        None => (String::new(), path),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{dir}{stem}.{hash}.{ext}"),
        None => format!("{dir}{file}.{hash}"),
    }
}

impl Assets {
    /// Reads every file under `root` (the site root cargo-leptos builds).
    pub fn load(root: &Path) -> std::io::Result<Self> {
        let mut files = HashMap::new();
        let mut hashed_names = HashMap::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let Ok(relative) = path.strip_prefix(root) else {
                    continue;
                };
                let served = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
                let bytes = std::fs::read(&path)?;
                let hash: String = Sha256::digest(&bytes)
                    .iter()
                    .take(8)
                    .map(|b| format!("{b:02x}"))
                    .collect();
                let asset = Asset {
                    bytes: bytes.into(),
                    content_type: content_type(&served),
                    etag: format!("\"{hash}\""),
                    hashed: false,
                    brotli: Arc::default(),
                    gzip: Arc::default(),
                };
                let hashed = hashed_name(&served, &hash);
                files.insert(
                    hashed.clone(),
                    Asset {
                        hashed: true,
                        ..asset.clone()
                    },
                );
                files.insert(served.clone(), asset);
                hashed_names.insert(served, hashed);
            }
        }
        Ok(Self {
            files: Arc::new(files),
            hashed_names: Arc::new(hashed_names),
        })
    }

    /// The hashed path of a file (`/pkg/klankbord.css` → `/pkg/klankbord.ab12….css`), or
    /// the path itself when there is no such file.
    pub fn hashed(&self, path: &str) -> String {
        self.hashed_names
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.to_string())
    }

    /// Whether a path names one of the files.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Answers a request for a file: the smallest encoding the client accepts; a hashed
    /// name is cached for a year, the plain name is checked again each time (ETag).
    pub async fn serve(&self, uri: &Uri, headers: &HeaderMap) -> Response {
        let Some(asset) = self.files.get(uri.path()) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let cache = if asset.hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let not_modified = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| tags.split(',').any(|t| t.trim() == asset.etag));
        let etag = HeaderValue::from_str(&asset.etag).ok();
        if not_modified {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            set(
                &mut response,
                header::CACHE_CONTROL,
                Some(HeaderValue::from_static(cache)),
            );
            set(&mut response, header::ETAG, etag);
            return response;
        }
        let accepts = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let accepts = |coding: &str| {
            accepts.split(',').any(|part| {
                let mut bits = part.split(';');
                let name = bits.next().unwrap_or_default().trim();
                let refused =
                    bits.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                name == coding && !refused
            })
        };
        let (body, encoding) = if accepts("br") {
            (compressed(asset, Coding::Brotli).await, Some("br"))
        } else if accepts("gzip") {
            (compressed(asset, Coding::Gzip).await, Some("gzip"))
        } else {
            (asset.bytes.clone(), None)
        };
        let mut response = Response::new(Body::from(body));
        set(
            &mut response,
            header::CONTENT_TYPE,
            Some(HeaderValue::from_static(asset.content_type)),
        );
        set(
            &mut response,
            header::CACHE_CONTROL,
            Some(HeaderValue::from_static(cache)),
        );
        set(&mut response, header::ETAG, etag);
        set(
            &mut response,
            header::VARY,
            Some(HeaderValue::from_static("accept-encoding")),
        );
        set(
            &mut response,
            header::CONTENT_ENCODING,
            encoding.map(HeaderValue::from_static),
        );
        response
    }
}

fn set(response: &mut Response, name: header::HeaderName, value: Option<HeaderValue>) {
    if let Some(value) = value {
        response.headers_mut().insert(name, value);
    }
}

#[derive(Clone, Copy)]
enum Coding {
    Brotli,
    Gzip,
}

/// The asset in this coding, compressed once on first use.
async fn compressed(asset: &Asset, coding: Coding) -> axum::body::Bytes {
    let cell = match coding {
        Coding::Brotli => asset.brotli.clone(),
        Coding::Gzip => asset.gzip.clone(),
    };
    let raw = asset.bytes.clone();
    cell.get_or_init(|| async move {
        let input = raw.clone();
        tokio::task::spawn_blocking(move || compress(&input, coding))
            .await
            .ok()
            .flatten()
            .unwrap_or(raw)
    })
    .await
    .clone()
}

fn compress(input: &[u8], coding: Coding) -> Option<axum::body::Bytes> {
    let mut out = Vec::new();
    match coding {
        Coding::Brotli => {
            let level = if input.len() <= BEST_LEVEL_MAX { 11 } else { 7 };
            let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, level, 22);
            writer.write_all(input).ok()?;
            writer.flush().ok()?;
            drop(writer);
        }
        Coding::Gzip => {
            let mut writer = flate2::write::GzEncoder::new(&mut out, flate2::Compression::best());
            writer.write_all(input).ok()?;
            writer.finish().ok()?;
        }
    }
    Some(out.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_extension() {
        assert_eq!(
            hashed_name("/pkg/klankbord.css", "ab12"),
            "/pkg/klankbord.ab12.css"
        );
        assert_eq!(hashed_name("/favicon.svg", "ab12"), "/favicon.ab12.svg");
        assert_eq!(hashed_name("/LICENSE", "ab12"), "/LICENSE.ab12");
    }

    #[tokio::test]
    async fn serves_each_coding_once_compressed_and_caches_hashed_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        let css = ".a { color: red; }\n".repeat(500);
        std::fs::write(dir.path().join("pkg/site.css"), &css).unwrap();
        let assets = Assets::load(dir.path()).unwrap();
        let hashed = assets.hashed("/pkg/site.css");
        assert!(hashed.starts_with("/pkg/site.") && hashed.ends_with(".css") && hashed.len() > 20);

        let get = |path: &str, encoding: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(encoding).unwrap(),
            );
            let uri: Uri = path.parse().unwrap();
            let assets = assets.clone();
            async move { assets.serve(&uri, &headers).await }
        };
        let body = |r: Response| async move {
            axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .unwrap()
        };

        let r = get(&hashed, "gzip, deflate, br, zstd").await;
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(
            r.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let br = body(r).await;
        assert!(br.len() < css.len() / 10);
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).unwrap();
        assert_eq!(plain, css.as_bytes());

        let r = get("/pkg/site.css", "gzip").await;
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
        let gz = body(r).await;
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
            .unwrap();
        assert_eq!(plain, css);

        let r = get("/pkg/site.css", "br;q=0, identity").await;
        assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body(r).await.len(), css.len());

        assert_eq!(
            get("/pkg/other.css", "br").await.status(),
            StatusCode::NOT_FOUND
        );
    }
}
