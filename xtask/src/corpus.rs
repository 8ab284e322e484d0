//! `cargo xtask corpus --docs DIR [--out DIR] [--json FILE] [--thresholds FILE] [--area FEATURE] [--no-tests] [--graphdoc-profile dev|release]`:
//! generate a client for DIR, build it (whole, and one area alone), run its replay tests, report,
//! and compare with thresholds.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Map, Value};

use crate::{fail, root};

const CRATE: &str = "graph-corpus";

struct Args {
    docs: Vec<PathBuf>,
    out: Option<PathBuf>,
    json: Option<PathBuf>,
    thresholds: Option<PathBuf>,
    /// The feature built alone (an area: a top-level path segment).
    area: String,
    tests: bool,
    /// Run graphdoc as built by the dev profile (`--graphdoc-profile dev`): CI has it built already
    /// and a release build of it costs minutes there; `generate_seconds` is then a debug figure.
    dev_graphdoc: bool,
}

/// The area stage 5's budget names.
const DEFAULT_AREA: &str = "device-management";

fn parse(args: &[&str]) -> Option<Args> {
    let mut parsed = Args { docs: Vec::new(), out: None, json: None, thresholds: None, area: DEFAULT_AREA.to_owned(), tests: true, dev_graphdoc: false };
    let mut i = args.iter();
    while let Some(a) = i.next() {
        match *a {
            "--docs" => parsed.docs.push(PathBuf::from(i.next()?)),
            "--out" => parsed.out = Some(PathBuf::from(i.next()?)),
            "--json" => parsed.json = Some(PathBuf::from(i.next()?)),
            "--thresholds" => parsed.thresholds = Some(PathBuf::from(i.next()?)),
            "--area" => parsed.area = (*i.next()?).to_owned(),
            "--no-tests" => parsed.tests = false,
            "--graphdoc-profile" => match *i.next()? {
                "dev" => parsed.dev_graphdoc = true,
                "release" => parsed.dev_graphdoc = false,
                _ => return None,
            },
            _ => return None,
        }
    }
    (!parsed.docs.is_empty()).then_some(parsed)
}

/// Run the conformance report.
pub fn corpus(args: &[&str]) -> ExitCode {
    let Some(args) = parse(args) else {
        eprintln!("usage: cargo xtask corpus --docs DIR [--out DIR] [--json FILE] [--thresholds FILE] [--area FEATURE] [--no-tests] [--graphdoc-profile dev|release]");
        return ExitCode::from(2);
    };
    match run(&args) {
        Ok(report) => finish(&args, report),
        Err(e) => fail(&e),
    }
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    // The workspace's target folder: the runtime and its dependencies are built once for both.
    c.env("CARGO_TARGET_DIR", root().join("target"));
    c
}

/// Cargo for the timed build: the dev profile as a user gets it, whatever the caller's environment
/// (CI turns incremental compilation off to save disk).
fn cargo_as_user() -> Command {
    let mut c = cargo();
    c.env_remove("CARGO_INCREMENTAL");
    c
}

/// Remove the generated crate's incremental caches: 0.7 GB after the timed build, 3.5 GB after an
/// incremental test build, and the CI machine has run out of disk on them.
fn remove_incremental_caches() {
    let dir = root().join("target/debug/incremental");
    let prefix = format!("{}-", CRATE.replace('-', "_"));
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Run `command`; its stderr when it succeeds, the tail of it in the error when it fails.
fn status(mut command: Command, what: &str) -> Result<String, String> {
    let out = command.stdout(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stderr).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
        Err(format!("{what} failed:\n{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n")))
    }
}

/// Run `command` through `xtask measure`, so the peak memory is that of this command's processes only.
fn measured(command: &Command, what: &str) -> Result<(f64, u64, String), String> {
    let rss_file = std::env::temp_dir().join(format!("graphdoc-corpus-rss-{}", std::process::id()));
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut wrapper = Command::new(exe);
    wrapper.arg("measure").arg(&rss_file).arg("--").arg(command.get_program()).args(command.get_args());
    // Removals too: the timed build drops CI's `CARGO_INCREMENTAL=0`, and the wrapper inherits it.
    for (k, v) in command.get_envs() {
        match v {
            Some(v) => wrapper.env(k, v),
            None => wrapper.env_remove(k),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        wrapper.current_dir(dir);
    }
    let start = Instant::now();
    let stderr = status(wrapper, what)?;
    let seconds = start.elapsed().as_secs_f64();
    let kb = std::fs::read_to_string(&rss_file).ok().and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0);
    let _ = std::fs::remove_file(&rss_file);
    Ok((seconds, kb, stderr))
}

fn run(args: &Args) -> Result<Map<String, Value>, String> {
    let out = args.out.clone().unwrap_or_else(|| root().join("target/corpus"));
    let crate_dir = out.join(CRATE);
    let manifest = crate_dir.join("Cargo.toml");

    let (profile, binary) = if args.dev_graphdoc { ("dev", "target/debug/graphdoc") } else { ("release", "target/release/graphdoc") };
    let bar = spinner(&format!("[1/5] building graphdoc ({profile})"));
    status(
        {
            let mut c = cargo();
            c.args(["build", "--quiet", "--profile", profile, "-p", "graphdoc"]).current_dir(root());
            c
        },
        "building graphdoc",
    )?;
    bar.finish_and_clear();

    let bar = spinner("[2/5] reading pages, building the model, generating the crate");
    let report_file = out.join("generate.json");
    let start = Instant::now();
    let mut generate = Command::new(root().join(binary));
    generate.arg("generate").arg("--docs").args(&args.docs).arg("--out").arg(&crate_dir);
    generate.args(["--crate-name", CRATE]).arg("--report").arg(&report_file);
    if !args.tests {
        generate.arg("--no-example-tests");
    }
    status(generate, "graphdoc generate")?;
    let generate_seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let text = std::fs::read_to_string(&report_file).map_err(|e| format!("{}: {e}", report_file.display()))?;
    let mut report: Map<String, Value> = match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => m,
        _ => return Err(format!("{}: not a JSON object", report_file.display())),
    };
    report.insert("generate_seconds".into(), json!(round(generate_seconds)));

    // The calibration workload runs before, between and after the timed builds: its fastest run
    // tells how fast the machine is in this hour (calibrate.rs). The fastest, as for the area:
    // whatever else the machine runs only ever slows a run down.
    let calibration_dir = out.join("calibration");
    crate::calibrate::prepare(&calibration_dir)?;
    let mut calibration = Vec::new();
    let bar = spinner("[3/5] timing the calibration workload");
    calibration.push(crate::calibrate::time_once(&calibration_dir)?);
    bar.finish_and_clear();

    // Built twice, each time after its dependencies: as a dependency builds (from a registry or
    // git: no incremental cache), and as a workspace member or path dependency builds (with one).
    let bar = spinner("[3/5] building the generated crate (dev profile, as a dependency)");
    let (build_seconds, build_kb, stderr) = timed_build(&manifest, false, None)?;
    bar.finish_and_clear();
    report.insert("build_seconds".into(), json!(round(build_seconds)));
    report.insert("build_peak_rss_mb".into(), json!(build_kb / 1024));
    report.insert("build_warnings".into(), json!(warnings(&stderr)));
    // The area is built AREA_PAIRS times, each right after a calibration run, and the fastest
    // build is kept: a 15 s build on this 2-core machine varies by 3-5 s with whatever else it runs.
    let bar = spinner(&format!(
        "[3/5] building one area of the generated crate (`{}` alone, as a dependency, {AREA_PAIRS} times)",
        args.area
    ));
    let mut pairs = Vec::new();
    let mut best: Option<(f64, u64, String)> = None;
    for _ in 0..AREA_PAIRS {
        let calibrated = crate::calibrate::time_once(&calibration_dir)?;
        calibration.push(calibrated);
        let build = timed_build(&manifest, false, Some(&args.area))?;
        pairs.push(json!([round(calibrated), round(build.0)]));
        if best.as_ref().is_none_or(|b| build.0 < b.0) {
            best = Some(build);
        }
    }
    let (seconds, kb, stderr) = best.unwrap_or_default();
    bar.finish_and_clear();
    report.insert("area_build_pairs".into(), Value::Array(pairs));
    report.insert("area".into(), json!(args.area));
    report.insert("area_build_seconds".into(), json!(round(seconds)));
    report.insert("area_build_peak_rss_mb".into(), json!(kb / 1024));
    report.insert("area_build_warnings".into(), json!(warnings(&stderr)));
    let bar = spinner("[4/5] building the generated crate (dev profile, incremental, as a workspace member)");
    let (seconds, kb, _) = timed_build(&manifest, true, None)?;
    remove_incremental_caches();
    bar.finish_and_clear();
    report.insert("build_incremental_seconds".into(), json!(round(seconds)));
    report.insert("build_incremental_peak_rss_mb".into(), json!(kb / 1024));
    let bar = spinner("[4/5] timing the calibration workload");
    calibration.push(crate::calibrate::time_once(&calibration_dir)?);
    bar.finish_and_clear();
    let _ = std::fs::remove_dir_all(&calibration_dir);
    report.insert("calibration_runs_seconds".into(), json!(calibration.iter().map(|s| round(*s)).collect::<Vec<_>>()));
    report.insert("calibration_seconds".into(), json!(round(crate::calibrate::fastest(&calibration))));

    if args.tests {
        test(&manifest, &mut report)?;
    }
    Ok(report)
}

/// Build the generated crates alone (dev profile), their dependencies built first with the same
/// setting (the incremental setting is part of every local crate's fingerprint).
fn timed_build(manifest: &Path, incremental: bool, area: Option<&str>) -> Result<(f64, u64, String), String> {
    let user = || {
        let mut c = cargo_as_user();
        if !incremental {
            c.env("CARGO_INCREMENTAL", "0");
        }
        c
    };
    let mut deps = user();
    deps.arg("build").arg("--quiet").arg("--manifest-path").arg(manifest).args(["-p", "graphdoc-runtime"]);
    status(deps, "building the runtime")?;
    let mut clean = cargo();
    clean.arg("clean").arg("--quiet").arg("--manifest-path").arg(manifest).args(["-p", CRATE, "-p", &models_crate()]);
    status(clean, "cargo clean")?;
    let mut build = user();
    build.args(["build", "--quiet", "--message-format=short", "--manifest-path"]).arg(manifest);
    if let Some(area) = area {
        build.args(["--no-default-features", "--features", area]);
    }
    measured(&build, "building the generated crate")
}

/// Compiler warnings in cargo's `--message-format=short` output (`file:line:col: warning: ...`).
fn warnings(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.contains(": warning:")).count()
}

/// The example tests are built once and run once: no incremental cache (3.5 GB of disk), and line
/// tables for the generated crate instead of full debug info (a failure still names its line).
fn tests_profile(command: &mut Command) {
    command.env("CARGO_INCREMENTAL", "0");
    // The models crate is a dependency of the test build: whichever profile cargo builds it with.
    for (profile, package) in [("test", CRATE.to_owned()), ("test", models_crate()), ("dev", models_crate())] {
        let debug = format!("profile.{profile}.package.{package}.debug=\"line-tables-only\"");
        command.args(["--config", &debug]);
    }
}

/// The generated client's models crate (`models/` inside it).
fn models_crate() -> String {
    format!("{CRATE}-models")
}

fn test(manifest: &Path, report: &mut Map<String, Value>) -> Result<(), String> {
    let bar = spinner("[5/5] building the example tests");
    let start = Instant::now();
    let mut build = cargo();
    tests_profile(&mut build);
    build.arg("test").arg("--no-run").arg("--quiet").arg("--manifest-path").arg(manifest);
    let (_, test_kb, _) = measured(&build, "building the tests")?;
    report.insert("test_build_seconds".into(), json!(round(start.elapsed().as_secs_f64())));
    report.insert("test_build_peak_rss_mb".into(), json!(test_kb / 1024));
    bar.finish_and_clear();

    let total = report.get("example_tests").and_then(Value::as_u64).unwrap_or(0);
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stdout());
    if let Ok(style) = ProgressStyle::with_template("[5/5] running tests {bar:40} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let start = Instant::now();
    let mut run = cargo();
    tests_profile(&mut run);
    run.arg("test").arg("--quiet").arg("--manifest-path").arg(manifest).args(["--", "--format", "pretty"]);
    let mut child = run.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().map_err(|e| e.to_string())?;
    let (mut passed, mut failed, mut replayed) = (0u64, Vec::new(), 0u64);
    // libtest prints each failure's output under `---- name stdout ----` after the run.
    let mut messages: Map<String, Value> = Map::new();
    let mut current: Option<(String, String)> = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
                if let Some((n, m)) = current.take() {
                    messages.insert(n, json!(m.trim()));
                }
                current = Some((name.to_owned(), String::new()));
                continue;
            }
            if let Some((_, m)) = current.as_mut() {
                if line == "failures:" {
                    if let Some((n, m)) = current.take() {
                        messages.insert(n, json!(m.trim()));
                    }
                } else if m.len() < 600 && !line.starts_with("note: run with") {
                    m.push_str(&line);
                    m.push('\n');
                }
                continue;
            }
            let Some(rest) = line.strip_prefix("test ") else { continue };
            let Some((name, outcome)) = rest.rsplit_once(" ... ") else { continue };
            match outcome {
                "ok" => {
                    passed += 1;
                    if name.ends_with("_replay") {
                        replayed += 1;
                    }
                }
                "FAILED" => failed.push(name.to_owned()),
                _ => {}
            }
            bar.inc(1);
            bar.set_message(format!("{} failed", failed.len()));
        }
    }
    let _ = child.wait();
    bar.finish_and_clear();
    report.insert("test_seconds".into(), json!(round(start.elapsed().as_secs_f64())));
    report.insert("tests_passed".into(), json!(passed));
    report.insert("tests_failed".into(), json!(failed.len()));
    report.insert("examples_replayed".into(), json!(replayed));
    report.insert("failed_tests".into(), json!(failed));
    report.insert("failures".into(), Value::Object(messages));
    Ok(())
}

fn round(seconds: f64) -> f64 {
    (seconds * 10.0).round() / 10.0
}

/// How many times the area is built, each after a calibration run.
const AREA_PAIRS: usize = 3;

/// The build times CI holds to stage 5's budgets, read at the reference speed.
const TIMED_BUILDS: [&str; 3] = ["build_seconds", "area_build_seconds", "build_incremental_seconds"];

/// The largest slowdown a run is forgiven: the most this machine's speed was seen to drift is
/// 1.7x, so anything past 2x is the code's to answer for.
const MAX_SLOWDOWN: f64 = 2.0;

/// With a reference time for the calibration workload (`"reference": {"calibration_seconds": R}`
/// in the thresholds), add `machine_slowdown` (this run's calibration time over R, at most
/// [`MAX_SLOWDOWN`]) and, for each timed build, `<key>_at_reference`: its seconds divided by that
/// slowdown, what the same build takes when the machine runs the workload in R seconds. A machine
/// faster than the reference makes these figures larger than the measured ones.
fn at_reference(report: &mut Map<String, Value>, thresholds: &Value) {
    let reference = thresholds.get("reference").and_then(|r| r.get("calibration_seconds")).and_then(Value::as_f64);
    let measured = report.get("calibration_seconds").and_then(Value::as_f64);
    let (Some(reference), Some(measured)) = (reference, measured) else { return };
    if reference <= 0.0 || measured <= 0.0 {
        return;
    }
    let slowdown = (measured / reference).min(MAX_SLOWDOWN);
    report.insert("machine_slowdown".into(), json!((slowdown * 100.0).round() / 100.0));
    for key in TIMED_BUILDS {
        if let Some(seconds) = report.get(key).and_then(Value::as_f64) {
            report.insert(format!("{key}_at_reference"), json!(round(seconds / slowdown)));
        }
    }
}

fn finish(args: &Args, mut report: Map<String, Value>) -> ExitCode {
    let thresholds = match &args.thresholds {
        None => None,
        Some(path) => match std::fs::read_to_string(path).map(|t| serde_json::from_str::<Value>(&t)) {
            Ok(Ok(v)) => Some((path, v)),
            Ok(Err(e)) => return fail(&format!("{}: {e}", path.display())),
            Err(e) => return fail(&format!("{}: {e}", path.display())),
        },
    };
    if let Some((_, thresholds)) = &thresholds {
        at_reference(&mut report, thresholds);
    }
    let report = &report;
    print_table(report);
    if let Some(path) = &args.json {
        let text = format!("{:#}\n", Value::Object(report.clone()));
        if let Err(e) = std::fs::write(path, text) {
            return fail(&format!("{}: {e}", path.display()));
        }
    }
    let Some((path, thresholds)) = thresholds else { return ExitCode::SUCCESS };
    let regressions = compare(report, &thresholds);
    if regressions.is_empty() {
        println!("corpus: every threshold of {} holds", path.display());
        ExitCode::SUCCESS
    } else {
        eprintln!("corpus: regressions against {}:", path.display());
        for r in regressions {
            eprintln!("  {r}");
        }
        ExitCode::from(1)
    }
}

/// `{"min": {key: n}, "max": {key: n}}`; a key may be `diagnostics.<code>`. A missing figure is a
/// regression: a threshold that silently stops being checked is worse than none.
fn compare(report: &Map<String, Value>, thresholds: &Value) -> Vec<String> {
    let figure = |key: &str| -> Option<f64> {
        match key.split_once('.') {
            Some((group, code)) => report.get(group)?.get(code).map_or(Some(0.0), Value::as_f64),
            None => report.get(key)?.as_f64(),
        }
    };
    let mut out = Vec::new();
    for (bound, is_min) in [("min", true), ("max", false)] {
        let Some(limits) = thresholds.get(bound).and_then(Value::as_object) else { continue };
        for (key, limit) in limits {
            let Some(limit) = limit.as_f64() else { continue };
            match figure(key) {
                None => out.push(format!("{key}: missing from the report")),
                Some(v) if is_min && v < limit => out.push(format!("{key}: {v} < minimum {limit}")),
                Some(v) if !is_min && v > limit => out.push(format!("{key}: {v} > maximum {limit}")),
                Some(_) => {}
            }
        }
    }
    out
}

fn print_table(report: &Map<String, Value>) {
    let get = |k: &str| report.get(k).map_or_else(|| "-".to_owned(), |v| v.to_string());
    let pct = |a: &str, b: &str| match (report.get(a).and_then(Value::as_f64), report.get(b).and_then(Value::as_f64)) {
        (Some(a), Some(b)) if b > 0.0 => format!(" ({:.1}%)", 100.0 * a / b),
        _ => String::new(),
    };
    println!("{:<34} {}", "pages", get("pages"));
    println!("{:<34} {}", "operations (generated methods)", get("operations"));
    println!("{:<34} {}", "types", get("types"));
    println!("{:<34} {}", "enums", get("enums"));
    println!("{:<34} {}", "examples", get("examples"));
    println!("{:<34} {}{}", "examples replayable", get("examples_replayable"), pct("examples_replayable", "examples"));
    println!("{:<34} {}{}", "examples replayed", get("examples_replayed"), pct("examples_replayed", "examples"));
    println!("{:<34} {} passed, {} failed", "tests", get("tests_passed"), get("tests_failed"));
    println!("{:<34} {} lines, {} bytes", "generated", get("generated_lines"), get("generated_bytes"));
    println!("{:<34} {} s", "generate", get("generate_seconds"));
    let runs = report.get("calibration_runs_seconds").map_or_else(|| "-".to_owned(), Value::to_string);
    match report.get("machine_slowdown") {
        Some(slowdown) => println!("{:<34} {} s (fastest of {runs}), {slowdown}x the reference", "calibration workload", get("calibration_seconds")),
        None => println!("{:<34} {} s (fastest of {runs})", "calibration workload", get("calibration_seconds")),
    }
    // A build's seconds, and what they are at the reference speed when the thresholds give one.
    let seconds = |k: &str| match report.get(&format!("{k}_at_reference")) {
        Some(r) => format!("{} s ({r} s at the reference speed)", get(k)),
        None => format!("{} s", get(k)),
    };
    println!("{:<34} {}, peak {} MB, {} warnings", "build (dev, as a dependency)", seconds("build_seconds"), get("build_peak_rss_mb"), get("build_warnings"));
    let area = format!("build of `{}` alone", report.get("area").and_then(Value::as_str).unwrap_or("?"));
    println!("{:<34} {}, peak {} MB, {} warnings", area, seconds("area_build_seconds"), get("area_build_peak_rss_mb"), get("area_build_warnings"));
    if let Some(pairs) = report.get("area_build_pairs") {
        println!("{:<34} {pairs} ([calibration, build] seconds, run back to back; the fastest build above)", "");
    }
    println!("{:<34} {}, peak {} MB", "build (dev, incremental)", seconds("build_incremental_seconds"), get("build_incremental_peak_rss_mb"));
    println!("{:<34} {} s, peak {} MB", "build of the tests", get("test_build_seconds"), get("test_build_peak_rss_mb"));
    println!("{:<34} {}", "diagnostics", get("diagnostics_by_severity"));
    if let Some(Value::Object(codes)) = report.get("diagnostics") {
        let mut codes: Vec<(&String, u64)> = codes.iter().map(|(k, v)| (k, v.as_u64().unwrap_or(0))).collect();
        codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (code, n) in codes {
            println!("  {code:<32} {n}");
        }
    }
}

/// `xtask measure FILE -- CMD...`: run CMD and write the peak RSS (kB) of its processes to FILE.
pub fn measure(args: &[&str]) -> ExitCode {
    let [file, "--", program, rest @ ..] = args else {
        return fail("usage: xtask measure FILE -- CMD...");
    };
    let status = Command::new(program).args(rest).status();
    // SAFETY: getrusage only writes the struct it is given.
    let kb = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) == 0 { usage.ru_maxrss.max(0) as u64 } else { 0 }
    };
    if let Err(e) = std::fs::write(file, kb.to_string()) {
        return fail(&format!("{file}: {e}"));
    }
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => fail(&format!("{program}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_catch_a_drop_a_rise_and_a_missing_figure() {
        let report = json!({"operations": 10, "build_seconds": 70.5, "diagnostics": {"json-invalid": 3}});
        let report = report.as_object().cloned().unwrap_or_default();
        let ok = json!({"min": {"operations": 10}, "max": {"build_seconds": 71, "diagnostics.json-invalid": 3, "diagnostics.absent-code": 0}});
        assert!(compare(&report, &ok).is_empty(), "{:?}", compare(&report, &ok));
        let bad = json!({"min": {"operations": 11, "examples_replayed": 1}, "max": {"build_seconds": 60, "diagnostics.json-invalid": 2}});
        let r = compare(&report, &bad);
        assert_eq!(r.len(), 4, "{r:?}");
        assert!(r.iter().any(|l| l.starts_with("examples_replayed: missing")));
    }

    #[test]
    fn build_times_are_read_at_the_reference_speed() {
        let report = json!({"calibration_seconds": 6.0, "build_seconds": 45.0, "area_build_seconds": 15.0});
        let mut report = report.as_object().cloned().unwrap_or_default();
        at_reference(&mut report, &json!({"reference": {"calibration_seconds": 4.0}}));
        assert_eq!(report.get("machine_slowdown"), Some(&json!(1.5)));
        assert_eq!(report.get("build_seconds_at_reference"), Some(&json!(30.0)));
        assert_eq!(report.get("area_build_seconds_at_reference"), Some(&json!(10.0)));
        // No incremental build in the report: nothing made up for it.
        assert_eq!(report.get("build_incremental_seconds_at_reference"), None);
        // A machine past twice the reference is corrected by twice only; a faster one scales up.
        let mut slow = json!({"calibration_seconds": 20.0, "area_build_seconds": 40.0}).as_object().cloned().unwrap_or_default();
        at_reference(&mut slow, &json!({"reference": {"calibration_seconds": 4.0}}));
        assert_eq!(slow.get("machine_slowdown"), Some(&json!(2.0)));
        assert_eq!(slow.get("area_build_seconds_at_reference"), Some(&json!(20.0)));
        let mut fast = json!({"calibration_seconds": 2.0, "area_build_seconds": 8.0}).as_object().cloned().unwrap_or_default();
        at_reference(&mut fast, &json!({"reference": {"calibration_seconds": 4.0}}));
        assert_eq!(fast.get("area_build_seconds_at_reference"), Some(&json!(16.0)));
        // Without a reference, or with a nonsensical one, the report stays as measured and a
        // threshold on `_at_reference` then fails as missing.
        let mut plain = json!({"calibration_seconds": 6.0, "build_seconds": 45.0}).as_object().cloned().unwrap_or_default();
        at_reference(&mut plain, &json!({"reference": {"calibration_seconds": 0}}));
        at_reference(&mut plain, &json!({}));
        assert_eq!(plain.len(), 2);
        let r = compare(&plain, &json!({"max": {"build_seconds_at_reference": 60}}));
        assert_eq!(r, ["build_seconds_at_reference: missing from the report"]);
    }

    #[test]
    fn warnings_are_counted_from_short_messages_only() {
        let stderr = "src/models.rs:3:5: warning: unused import\nwarning: `x` (lib) generated 1 warning\nsrc/a.rs:1:1: error: no\n";
        assert_eq!(warnings(stderr), 1);
        assert_eq!(warnings(""), 0);
    }

    #[test]
    fn arguments_need_docs() {
        assert!(parse(&[]).is_none());
        assert!(parse(&["--out", "x"]).is_none());
        assert!(parse(&["--docs", "a", "--bogus"]).is_none());
        let a = parse(&["--docs", "a", "--docs", "b", "--no-tests", "--json", "r.json"]);
        assert!(a.is_some_and(|a| a.docs.len() == 2 && !a.tests && a.json.is_some() && !a.dev_graphdoc));
        assert!(parse(&["--docs", "a", "--graphdoc-profile", "dev"]).is_some_and(|a| a.dev_graphdoc));
        assert!(parse(&["--docs", "a", "--graphdoc-profile", "fast"]).is_none());
    }
}
