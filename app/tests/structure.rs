//! Rules about the code's own shape that no compiler checks:
//! - the modules of `backend/` import each other without a cycle, and so do its folders
//!   (the platform and the domains), so a domain can be read, changed and tested on its
//!   own; the platform imports no domain, and nothing imports a view
//!   (`docs/architecture.md`);
//! - no function outside tests runs over 120 lines on the page;
//! - the SQLite and PostgreSQL migrations stay twins: the same files with the same
//!   statements, apart from the known spelling differences of the two databases.

#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---- import cycles ----------------------------------------------------------------------

/// Every `.rs` file under `dir`, as its module path inside `backend` (`views::question_page`;
/// a `mod.rs` is its folder's module).
fn modules(dir: &Path, prefix: &[String], out: &mut BTreeMap<Vec<String>, String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("backend folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name")
            .to_string();
        if path.is_dir() {
            let mut inner = prefix.to_vec();
            inner.push(name);
            modules(&path, &inner, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut module = prefix.to_vec();
            if name != "mod" {
                module.push(name);
            }
            out.insert(module, fs::read_to_string(&path).expect("source"));
        }
    }
}

/// The source without `//` comments, so a comment naming a module is not an import.
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths named at the start of `text`: `a::b`, or every path of a `{a, b::{c, d}}` group.
fn paths_after(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 1;
        let mut end = group.len();
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &group[..end];
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&inner[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&inner[start..]);
        return parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .flat_map(paths_after)
            .collect();
    }
    let mut path = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        path.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(next) if next.starts_with('{') => {
                return paths_after(next)
                    .into_iter()
                    .map(|tail| path.iter().cloned().chain(tail).collect())
                    .collect();
            }
            Some(next) => rest = next,
            None => break,
        }
    }
    vec![path]
}

/// The backend modules `module` names: through `crate::backend::…` and `super::…`.
fn imports(module: &[String], source: &str, all: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let source = without_comments(source);
    let mut named = Vec::new();
    for (at, _) in source.match_indices("crate::backend::") {
        for path in paths_after(&source[at + "crate::backend::".len()..]) {
            named.push(path);
        }
    }
    // `super` is the parent module, also in a folder's `mod.rs` (`mail` is `mail/mod.rs`).
    for (at, _) in source.match_indices("super::") {
        if source[..at].ends_with("super::") {
            continue;
        }
        let mut base = module[..module.len().saturating_sub(1)].to_vec();
        let mut rest = &source[at + "super::".len()..];
        while let Some(next) = rest.strip_prefix("super::") {
            base.pop();
            rest = next;
        }
        for path in paths_after(rest) {
            named.push(base.iter().cloned().chain(path).collect());
        }
    }
    let mut out = BTreeSet::new();
    for path in named {
        // The longest prefix of the path that is a module.
        for len in (1..=path.len()).rev() {
            let candidate = &path[..len];
            if all.contains(candidate) {
                if candidate != module {
                    out.insert(candidate.to_vec());
                }
                break;
            }
        }
    }
    out
}

/// The cycles of a graph: its strongly connected parts with more than one node.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        let graph = w.graph;
        for next in graph.get(v).into_iter().flatten() {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[v].min(w.low[next]);
                w.low.insert(v, low);
            } else if w.stack.contains(&next) {
                let low = w.low[v].min(w.index[next]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut part = Vec::new();
            while let Some(top) = w.stack.pop() {
                part.push(top.to_string());
                if top == v {
                    break;
                }
            }
            if part.len() > 1 {
                part.sort();
                w.found.push(part);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.found
}

fn backend_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = manifest_dir().join("src/backend");
    let mut sources = BTreeMap::new();
    modules(&root, &[], &mut sources);
    let all: BTreeSet<Vec<String>> = sources.keys().cloned().collect();
    sources
        .iter()
        .filter(|(m, _)| !m.is_empty())
        .map(|(m, source)| {
            let deps = imports(m, source, &all)
                .into_iter()
                .filter(|d| !d.is_empty())
                .map(|d| d.join("::"))
                .collect();
            (m.join("::"), deps)
        })
        .collect()
}

#[test]
fn backend_modules_import_each_other_without_a_cycle() {
    let graph = backend_graph();
    // The reader sees the modules: if it found none, it would pass for the wrong reason.
    assert!(graph.len() > 40, "backend modules found: {graph:?}");
    assert!(graph["views::question_page"].contains("questions::store"));
    assert!(graph["questions::write"].contains("platform::db"));
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "backend modules that import each other in a circle: {found:?}\n\
         A domain's store uses only the platform modules; a use case uses its own store and \
         other domains' stores; only `views/` combines domains for a page."
    );
}

/// The graph of the folders: `questions` imports `platform` when one of its modules
/// imports one of the platform's.
fn folder_graph() -> BTreeMap<String, BTreeSet<String>> {
    let folder = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, imports) in backend_graph() {
        let from = folder(&module);
        let entry = out.entry(from.clone()).or_default();
        for import in imports {
            if folder(&import) != from {
                entry.insert(folder(&import));
            }
        }
    }
    out
}

#[test]
fn domains_import_each_other_without_a_cycle() {
    let graph = folder_graph();
    for folder in [
        "platform",
        "accounts",
        "questions",
        "participation",
        "feedback",
        "meetings",
    ] {
        assert!(
            graph.contains_key(folder),
            "backend folders found: {graph:?}"
        );
    }
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "backend folders that import each other in a circle: {found:?}\n\
         Move what both need into the domain that owns it (its `store`), or build the page \
         that combines them in `views/`."
    );
}

#[test]
fn platform_imports_no_domain_and_nothing_imports_a_view() {
    for (folder, imports) in folder_graph() {
        assert!(
            folder == "views" || !imports.contains("views"),
            "{folder} imports views: only views/ combines domains, and nothing imports from it"
        );
        assert!(
            folder != "platform" || imports.is_empty(),
            "platform imports {imports:?}: move what it needs into the platform, or the \
             caller into a domain"
        );
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry((*a).into()).or_default().insert((*b).into());
            g.entry((*b).into()).or_default();
        }
        g
    };
    assert!(cycles(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
    assert_eq!(
        cycles(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
}

#[test]
fn imports_are_read_from_groups_and_super() {
    let all: BTreeSet<Vec<String>> = [
        "db",
        "mail",
        "mail::templates",
        "views",
        "views::page",
        "questions",
    ]
    .iter()
    .map(|m| m.split("::").map(String::from).collect())
    .collect();
    let module = |m: &str| -> Vec<String> { m.split("::").map(String::from).collect() };
    let names = |set: BTreeSet<Vec<String>>| -> Vec<String> {
        set.into_iter().map(|m| m.join("::")).collect()
    };
    let source = "use crate::backend::{db::{now, Db}, mail::templates};\n\
                  // super::questions is only mentioned here\n\
                  fn f() { super::super::questions::detail(); }";
    assert_eq!(
        names(imports(&module("views::page"), source, &all)),
        vec!["db", "mail::templates", "questions"]
    );
    assert_eq!(
        names(imports(&module("mail"), "use super::db;", &all)),
        vec!["db"]
    );
    assert_eq!(
        names(imports(
            &module("questions"),
            "use super::{db, mail};",
            &all
        )),
        vec!["db", "mail"]
    );
}

// ---- function length ---------------------------------------------------------------------

/// Whether a line opens a function: `fn`, `async fn`, `pub fn`, `pub(crate) async fn`, ….
fn opens_function(line: &str) -> bool {
    let mut rest = line.trim_start();
    for prefix in ["pub(crate) ", "pub(super) ", "pub(self) ", "pub ", "async "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim_start();
        }
    }
    if let Some(r) = rest.strip_prefix("async ") {
        rest = r.trim_start();
    }
    rest.strip_prefix("fn ")
        .is_some_and(|name| name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

/// The functions of a file outside its tests, as (first line, lines from `fn` to the
/// closing brace, comments and blank lines included).
fn function_lengths(source: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        if !opens_function(line) {
            continue;
        }
        let (mut depth, mut started) = (0i64, false);
        for (j, inner) in lines.iter().enumerate().skip(i) {
            let opens = i64::try_from(inner.matches('{').count()).unwrap_or(0);
            let closes = i64::try_from(inner.matches('}').count()).unwrap_or(0);
            depth += opens - closes;
            started |= opens > 0;
            if started && depth <= 0 {
                out.push((i + 1, j - i + 1));
                break;
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Clippy's `too_many_lines` counts code lines only; a function can pass it and still
/// run over 120 lines on the page. This counts what a reader scrolls through.
#[test]
fn no_function_outside_tests_runs_over_120_lines() {
    let mut files = Vec::new();
    rust_files(&manifest_dir().join("src"), &mut files);
    assert!(files.len() > 50, "source files found: {}", files.len());
    let mut long = Vec::new();
    for file in files {
        let source = fs::read_to_string(&file).expect("source");
        for (line, length) in function_lengths(&source) {
            if length > 120 {
                long.push(format!("{}:{line}: {length} lines", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "functions over 120 lines: {long:?}");
}

#[test]
fn function_lengths_are_counted_from_fn_to_the_closing_brace() {
    let source = "pub(crate) async fn a(\n    x: i64,\n) -> i64 {\n    // note\n\n    x\n}\n\
                  fn b() {}\n#[cfg(test)]\nmod tests {\n    fn c() {\n    }\n}\n";
    assert_eq!(function_lengths(source), vec![(1, 7), (8, 1)]);
}

// ---- migration twins --------------------------------------------------------------------

/// A migration's statements in one spelling: comments and layout dropped, PostgreSQL's
/// spellings of what SQLite writes differently replaced by SQLite's.
fn statements(sql: &str) -> Vec<String> {
    let text: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    let text = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
        // Identity columns: the same auto-numbered key.
        .replace(
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "INTEGER PRIMARY KEY AUTOINCREMENT",
        )
        // Byte order for search terms; SQLite compares bytes already.
        .replace(" COLLATE \"C\"", "");
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn migration_files(folder: &str) -> BTreeMap<String, String> {
    let dir = manifest_dir().join("../migrations").join(folder);
    fs::read_dir(&dir)
        .expect("migrations folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string();
            (name, fs::read_to_string(&p).expect("migration"))
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_are_twins() {
    let sqlite = migration_files("sqlite");
    let postgres = migration_files("postgres");
    assert!(
        sqlite.len() >= 10,
        "migrations/sqlite read: {}",
        sqlite.len()
    );
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>(),
        "migrations/sqlite and migrations/postgres hold different files"
    );
    for (name, lite) in &sqlite {
        let (lite, pg) = (statements(lite), statements(&postgres[name]));
        for (i, (a, b)) in lite.iter().zip(&pg).enumerate() {
            assert_eq!(
                a,
                b,
                "{name}: statement {} differs between the twins",
                i + 1
            );
        }
        assert_eq!(
            lite.len(),
            pg.len(),
            "{name}: migrations/sqlite has {} statements, migrations/postgres {}",
            lite.len(),
            pg.len()
        );
    }
}

#[test]
fn a_missing_index_on_one_side_is_a_difference() {
    let lite = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, term TEXT NOT NULL);\n\
                CREATE INDEX t_term ON t (term);";
    let pg = "-- the twin\nCREATE TABLE t (\n  id BIGINT GENERATED BY DEFAULT AS IDENTITY \
              PRIMARY KEY,\n  term TEXT COLLATE \"C\" NOT NULL\n);";
    assert_eq!(statements(lite)[0], statements(pg)[0]);
    assert_ne!(statements(lite), statements(pg));
}
