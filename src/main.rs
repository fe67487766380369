//! The `tinfeed` binary: parse the command line, set up logging, call the library, map the
//! outcome to an exit code (0 ok, 1 a source failed, 2 config or usage error).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tinfeed::config::{Config, ConfigErrors, SourceKind};
use tinfeed::daemon;
use tinfeed::pipeline::{self, RunReport};
use tokio_util::sync::CancellationToken;

const EXIT_SOURCE_FAILED: u8 = 1;
const EXIT_CONFIG: u8 = 2;

#[derive(Parser)]
#[command(name = "tinfeed", version, about = "Vietnamese news websites → clean, valid RSS and Atom feeds")]
struct Cli {
    /// Log format on stderr; `RUST_LOG` sets levels (default `info`).
    #[arg(long, value_enum, default_value_t = LogFormat::Human, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
struct ConfigArg {
    /// The config file.
    #[arg(long, env = "TINFEED_CONFIG", default_value = "config/tinfeed.toml")]
    config: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// One crawl of every source: store, publish, exit.
    Once(ConfigArg),
    /// Daemon: crawl every source on its schedule and serve the feeds over HTTP until SIGTERM or
    /// SIGINT, then stop gracefully.
    Run(ConfigArg),
    /// Validate the config and print what it would do.
    Check(ConfigArg),
    /// Dry run of one source: the items it would produce; nothing is stored.
    Inspect {
        /// The source's `id`.
        source_id: String,
        #[command(flatten)]
        config: ConfigArg,
        /// Print the items as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Probe a running daemon's `/healthz` (a container HEALTHCHECK): exit 0 when it answers 200.
    Health {
        /// The URL to probe [default: `http://<listen>/healthz` from the config and `TINFEED_LISTEN`]
        #[arg(long)]
        url: Option<String>,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    // Only the daemon serves and crawls side by side. A one-shot command does its work on one
    // thread: its crawl is serial CPU work between short waits, and a worker pool only added
    // thread wake-ups (one crawl of 2,000 articles: 7,480 context switches → 511, a third less
    // system time).
    let mut builder = match cli.command {
        Command::Run(_) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Once(args) => with_config(&args, |config| runtime.block_on(once(&config))),
        Command::Run(args) => with_config(&args, |config| runtime.block_on(run(config))),
        Command::Health { url, config } => runtime.block_on(health(url, &config)),
        Command::Check(args) => with_config(&args, |config| check(&config)),
        Command::Inspect { source_id, config, json } => {
            with_config(&config, |config| runtime.block_on(inspect(&config, &source_id, json)))
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Loads the config, with the `TINFEED_*` environment overrides applied.
fn load_config(args: &ConfigArg) -> Result<Config, ConfigErrors> {
    let mut config = Config::load(&args.config)?;
    config.apply_env(|name| std::env::var(name).ok())?;
    Ok(config)
}

fn with_config(args: &ConfigArg, run: impl FnOnce(Config) -> ExitCode) -> ExitCode {
    match load_config(args) {
        Ok(config) => run(config),
        Err(errors) => {
            eprintln!("{errors}");
            let n = errors.0.len();
            eprintln!("error: {n} problem{} in the config", if n == 1 { "" } else { "s" });
            ExitCode::from(EXIT_CONFIG)
        }
    }
}

async fn once(config: &Config) -> ExitCode {
    match pipeline::run_once(config).await {
        Ok(report) => {
            print_report(&report);
            if report.any_failed() { ExitCode::from(EXIT_SOURCE_FAILED) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_SOURCE_FAILED)
        }
    }
}

async fn run(config: Config) -> ExitCode {
    let address = config.site.listen;
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on `{address}`: {e}");
            return ExitCode::from(EXIT_SOURCE_FAILED);
        }
    };
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    match daemon::run(config, listener, shutdown, daemon::Options::default()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_SOURCE_FAILED)
        }
    }
}

/// SIGTERM or SIGINT asks for a graceful stop; a second one ends the process at once.
async fn stop_on_signal(shutdown: CancellationToken) {
    wait_for_signal().await;
    tracing::info!("signal received: stopping gracefully (send it again to stop at once)");
    shutdown.cancel();
    wait_for_signal().await;
    eprintln!("error: second signal: stopping at once");
    std::process::exit(130);
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// `tinfeed health`: GET the daemon's `/healthz` within 5 s.
async fn health(url: Option<String>, args: &ConfigArg) -> ExitCode {
    let url = url.unwrap_or_else(|| {
        // the daemon's own address; one listening on every interface is reached on loopback
        let mut listen = load_config(args).map(|c| c.site.listen).unwrap_or_else(|_| {
            std::env::var("TINFEED_LISTEN")
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8080)))
        });
        if listen.ip().is_unspecified() {
            listen.set_ip(match listen {
                std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{listen}/healthz")
    });
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = match reqwest::Client::builder().timeout(std::time::Duration::from_secs(5)).build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match client.get(&url).send().await {
        Ok(response) if response.status().is_success() => {
            println!("ok     {url}");
            ExitCode::SUCCESS
        }
        Ok(response) => {
            eprintln!("error: `{url}` answered HTTP {}", response.status().as_u16());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot reach `{url}`: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_report(report: &RunReport) {
    for source in &report.sources {
        match &source.outcome {
            Ok(c) => println!(
                "ok     {:<24} {} items ({} new, {} updated), {} dropped, {} articles failed{}",
                source.id,
                c.found,
                c.stored.new,
                c.stored.updated,
                c.dropped,
                c.failed_articles,
                if c.filtered > 0 { format!(", {} filtered out", c.filtered) } else { String::new() }
            ),
            Err(e) => println!("FAILED {:<24} {e}", source.id),
        }
    }
    for feed in &report.feeds {
        let state = if feed.written { "written" } else { "unchanged" };
        println!("feed   {:<24} {:>3} items  {state}  {}", feed.slug, feed.items, feed.rss_path.display());
    }
}

fn check(config: &Config) -> ExitCode {
    let site = &config.site;
    println!("config   {}", config.path.display());
    println!("site     {} ({}, {})", site.title, site.language, site.timezone);
    println!("feeds    {} → {}", site.feeds_dir.display(), site.base_url);
    println!("data     {}", site.data_dir.display());
    println!("listen   {}", site.listen);
    print_fetch_settings(config);
    println!();
    for source in &config.sources {
        let what = match &source.kind {
            SourceKind::Html { urls, paging } => {
                let pages = match (&paging.template, paging.max_pages) {
                    (_, 1) => String::new(),
                    (Some(template), n) => format!(" (up to {n} pages: {template})"),
                    (None, n) => format!(" (up to {n} pages by `next`)"),
                };
                format!("html   {}{pages}", urls.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(" "))
            }
            SourceKind::Files { path } => format!("files  {}", path.display()),
            SourceKind::Sitemap { urls } => {
                format!("sitemap {}", urls.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(" "))
            }
            SourceKind::Feed { urls, fetch_article } => format!(
                "feed   {}{}",
                urls.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(" "),
                if *fetch_article { " (each new entry's page fetched)" } else { "" }
            ),
        };
        println!("source {:<20} {what}", source.id);
        println!(
            "       category `{}` → {}.rss, {}.atom",
            source.category, source.category_slug, source.category_slug
        );
        println!("       schedule `{}`", source.schedule.source());
        let s = &source.selectors;
        let selectors: Vec<String> = [
            ("item", &s.item),
            ("title", &s.title),
            ("summary", &s.summary),
            ("content", &s.content),
            ("date", &s.date),
            ("author", &s.author),
            ("image", &s.image),
            ("remove", &s.remove),
            ("next", &s.next),
        ]
        .into_iter()
        .filter_map(|(name, sel)| sel.as_ref().map(|sel| format!("{name}=`{sel}`")))
        .collect();
        if selectors.is_empty() {
            println!("       selectors: none (generic extraction)");
        } else {
            println!("       selectors: {}", selectors.join(" "));
        }
        print_source_filter(source);
        print_source_fetch(config, source);
    }
    println!();
    println!("feeds:");
    for category in config.categories() {
        println!("  {0}.rss {0}.atom  ({1})", category.slug, category.name);
    }
    println!("  all.rss all.atom  (every category)");
    ExitCode::SUCCESS
}

async fn inspect(config: &Config, source_id: &str, json: bool) -> ExitCode {
    let Some(source) = config.source(source_id) else {
        let ids: Vec<&str> = config.sources.iter().map(|s| s.id.as_str()).collect();
        eprintln!("error: no source `{source_id}` in {}; sources: {}", config.path.display(), ids.join(", "));
        return ExitCode::from(EXIT_CONFIG);
    };
    let fetcher = match tinfeed::fetch::Fetcher::with_settings(config.site.fetch.clone()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_SOURCE_FAILED);
        }
    };
    let collected = match pipeline::collect(&fetcher, &config.site, source).await {
        Ok(collected) => collected,
        Err(e) => {
            eprintln!("error: source `{source_id}`: {e} [{}]", e.class());
            print_source_fetch(config, source);
            return ExitCode::from(EXIT_SOURCE_FAILED);
        }
    };
    if json {
        match serde_json::to_string_pretty(&collected.items) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_SOURCE_FAILED);
            }
        }
    } else {
        for item in &collected.items {
            println!("{}", item.title);
            println!("  link     {}", item.url);
            println!(
                "  date     {}",
                item.published.map_or("(none: first-seen time)".to_string(), |d| d.to_rfc3339())
            );
            if let Some(author) = &item.author {
                println!("  author   {author}");
            }
            if item.category_slug != source.category_slug {
                println!("  category {} (mapped)", item.category);
            }
            if let Some(image) = &item.image {
                println!("  image    {image}");
            }
            println!("  summary  {}", item.summary);
            println!();
        }
        for (url, reason) in &collected.dropped {
            println!("dropped  {url}: {reason}");
        }
        for error in &collected.failed {
            println!("failed   {error} [{}]", error.class());
        }
        for error in &collected.skipped {
            println!("skipped  {error}");
        }
        for (url, reason) in &collected.filtered {
            println!("filtered {url}: {reason}");
        }
        print_source_fetch(config, source);
        println!(
            "{} items, {} dropped, {} failed, {} filtered out",
            collected.items.len(),
            collected.dropped.len(),
            collected.failed.len(),
            collected.filtered.len()
        );
    }
    ExitCode::SUCCESS
}

/// `check`: a source's include/exclude patterns and category mapping, when it has any.
fn print_source_filter(source: &tinfeed::config::Source) {
    let patterns = |table: &str, p: &tinfeed::config::Patterns| -> Vec<String> {
        p.iter().map(|(field, pattern)| format!("{table}.{field}=`{}`", pattern.as_str())).collect()
    };
    let mut filter = patterns("include", &source.filter.include);
    filter.extend(patterns("exclude", &source.filter.exclude));
    if !filter.is_empty() {
        println!("       filter: {}", filter.join(" "));
    }
    for rule in &source.category_map.rules {
        println!("       `{}` → category `{}` ({}.rss)", rule.key, rule.category.name, rule.category.slug);
    }
}

/// `check`: the site's fetch settings in one line.
fn print_fetch_settings(config: &Config) {
    let f = &config.site.fetch;
    println!(
        "fetch    `{}`; timeouts {} total, {} headers, {} connect; body ≤ {} bytes; {} retries from {}; \
         {} per host, {} apart; back off after {} failures (≤ {} runs)",
        f.user_agent,
        human(f.total_timeout),
        human(f.header_timeout),
        human(f.connect_timeout),
        f.max_body_bytes,
        f.retries,
        human(f.retry_delay),
        f.host_concurrency,
        human(f.host_delay),
        config.site.backoff.after,
        config.site.backoff.max_runs
    );
}

/// `check` and `inspect`: a source's own fetch keys and its health as the store remembers it
/// (nothing when it never ran; the store is not created just to say so).
fn print_source_fetch(config: &Config, source: &tinfeed::config::Source) {
    let p = &source.fetch;
    let mut own = Vec::new();
    if let Some(ua) = &p.user_agent {
        own.push(format!("user agent `{ua}`"));
    }
    if !p.robots {
        own.push("robots.txt NOT obeyed (`robots = false`)".to_string());
    }
    if let Some(max) = p.max_body_bytes {
        own.push(format!("body ≤ {max} bytes"));
    }
    match source.refetch_interval {
        Some(d) if d.is_zero() => own.push("articles re-fetched every run".to_string()),
        Some(d) => own.push(format!("articles re-fetched after {}", human(d))),
        None => {}
    }
    if !own.is_empty() {
        println!("       fetch: {}", own.join("; "));
    }
    if !config.site.data_dir.join("tinfeed.sqlite").exists() {
        return;
    }
    let status = tinfeed::store::Store::open(&config.site.data_dir).and_then(|s| s.source_status(&source.id));
    match status {
        Ok(None) => println!("       health: never ran"),
        Ok(Some(s)) => {
            let success = s.last_success.map_or("never".to_string(), |t| t.to_rfc3339());
            if s.consecutive_failures == 0 {
                println!("       health: ok, last success {success}");
            } else {
                println!(
                    "       health: FAILING, {} in a row [{}], last success {success}",
                    s.consecutive_failures,
                    s.last_error_class.as_deref().unwrap_or("?")
                );
                if let Some(error) = &s.last_error {
                    let at = s.last_error_at.map_or(String::new(), |t| format!(" at {}", t.to_rfc3339()));
                    println!("       last error{at}: {error}");
                }
                if s.skip_runs > 0 {
                    println!("       backing off: the next {} runs skip it", s.skip_runs);
                }
                if let Some(until) = s.not_before {
                    println!("       not before {} (the server's Retry-After)", until.to_rfc3339());
                }
            }
        }
        Err(e) => println!("       health: unknown ({e})"),
    }
}

/// `500 ms`, `30 s`, `6 h`: a config duration as one would write it back.
fn human(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    match (secs, d.subsec_millis()) {
        (0, ms) => format!("{ms} ms"),
        (s, 0) if s % 3600 == 0 => format!("{} h", s / 3600),
        (s, 0) if s % 60 == 0 => format!("{} min", s / 60),
        (s, 0) => format!("{s} s"),
        _ => format!("{} ms", d.as_millis()),
    }
}
