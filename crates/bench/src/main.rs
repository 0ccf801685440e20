//! Benchmarks the core on the generated benchmark profile (2,000 assets, 1,000,000
//! value points over 10 years) and prints a Markdown table for BENCHMARKS.md.
//!
//! Run: `cargo run --release -p patrimoine-bench` (add `-- --quick` for a 10× smaller
//! profile). Each query runs on the SQLCipher vault and on an unencrypted SQLite copy
//! of the same synthetic data, in the same run, and the ratio is reported.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use patrimoine_core::analytics::{BreakdownBy, Step};
use patrimoine_core::generate::{self, Spec};
use patrimoine_core::keys::argon2id;
use patrimoine_core::{CreateOptions, DataDir, KdfChoice, Vault};

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    // One warm-up run fills SQLite's page cache, as in a running app.
    let _ = f();
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                let out = std::hint::black_box(f());
                let elapsed = t.elapsed();
                drop(out);
                elapsed
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

struct Query {
    name: &'static str,
    target: &'static str,
    run: fn(&Vault, &Spec),
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let end = NaiveDate::from_ymd_opt(2026, 6, 30).expect("valid date");
    let mut spec = Spec::benchmark(end);
    if quick {
        spec.assets /= 10;
        spec.points /= 10;
    }
    // `--make-profile DIR`: write the benchmark profile into a data directory (profile
    // "Bench", password "benchmark password", floor KDF) for the desktop-app benchmark.
    if let Some(dir) = std::env::args().skip_while(|a| a != "--make-profile").nth(1) {
        let dd = DataDir::open(&dir).expect("data dir");
        let opts =
            CreateOptions { base_currency: "EUR".into(), kdf: KdfChoice::Fixed(patrimoine_core::keys::KdfParams::MIN) };
        let created = dd.create_profile("Bench", "benchmark password", &opts, None).expect("profile");
        let report = generate::populate(created.session.vault(), &spec).expect("populate");
        println!("profile Bench in {dir}: {} values", report.values_inserted);
        return;
    }
    // `--time-performance DIR FROM TO`: time the dashboard's per-account performance
    // on an existing benchmark profile.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--time-performance") {
        let dd = DataDir::open(&args[i + 1]).expect("data dir");
        let s = dd.unlock_with_password("Bench", "benchmark password").expect("unlock");
        let (from, to) = (args[i + 2].parse().expect("from"), args[i + 3].parse().expect("to"));
        let t = Instant::now();
        let n = s.vault().performance_by_account(from, to).expect("performance").len();
        println!("{n} accounts in {:?}", t.elapsed());
        return;
    }
    // `--time-dashboard DIR`: what the desktop dashboard asks of the core after an
    // unlock, call by call, first (cold page cache) and again (warm).
    if let Some(i) = args.iter().position(|a| a == "--time-dashboard") {
        time_dashboard(&args[i + 1]);
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dd = DataDir::open(tmp.path().join("data")).expect("data dir");
    let password = "benchmark password";

    // Unlock cost: calibrated KDF alone vs a full unlock.
    let created = dd
        .create_profile(
            "Bench",
            password,
            &CreateOptions { base_currency: "EUR".into(), kdf: KdfChoice::DEFAULT },
            None,
        )
        .expect("profile");
    let params = created.session.password_kdf().expect("password slot");
    let session = created.session;

    let t = Instant::now();
    let report = generate::populate(session.vault(), &spec).expect("populate");
    let import_time = t.elapsed();
    assert_eq!(report.values_inserted, spec.points);
    let mut sec = generate::SecuritiesSpec::benchmark();
    if quick {
        sec.prices /= 10;
        sec.activities /= 10;
    }
    let t = Instant::now();
    generate::populate_securities(session.vault(), &spec, &sec).expect("securities");
    let securities_time = t.elapsed();
    let derived: i64 = session
        .vault()
        .connection()
        .query_row(
            "SELECT count(*) FROM value_point v JOIN asset a ON a.id = v.asset_id WHERE a.derived IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");

    // Unencrypted copy of the same synthetic data, for the overhead ratio.
    let plain_path = tmp.path().join("plain.db");
    session
        .vault()
        .connection()
        .execute_batch(&format!(
            "ATTACH DATABASE '{}' AS plain KEY ''; SELECT sqlcipher_export('plain');
             PRAGMA plain.user_version = {}; DETACH DATABASE plain;",
            plain_path.display(),
            patrimoine_core::migrations::latest()
        ))
        .expect("plain export");
    let plain = Vault::open_unencrypted_for_benchmark(&plain_path).expect("plain open");

    let queries = [
        Query {
            name: "raw scan of every value (reference: SQLite only)",
            target: "",
            run: |v, _| {
                let mut st = v.connection().prepare("SELECT asset_id, date, value FROM value_point").expect("prepare");
                let mut rows = st.query([]).expect("query");
                let mut n = 0u64;
                while let Some(r) = rows.next().expect("row") {
                    n += r.get_ref(2).expect("value").as_str().expect("text").len() as u64;
                }
                std::hint::black_box(n);
            },
        },
        Query { name: "net worth at a date", target: "≤ 20 ms", run: |v, s| drop(v.net_worth(s.end).expect("nw")) },
        Query {
            name: "monthly series, 10 years",
            target: "≤ 100 ms",
            run: |v, s| drop(v.net_worth_series(s.start(), s.end, Step::Monthly, false).expect("series")),
        },
        Query {
            name: "monthly series by class, 10 years",
            target: "(dashboard chart)",
            run: |v, s| drop(v.net_worth_series(s.start(), s.end, Step::Monthly, true).expect("series")),
        },
        Query {
            name: "daily series, 10 years",
            target: "≤ 300 ms",
            run: |v, s| drop(v.net_worth_series(s.start(), s.end, Step::Daily, false).expect("series")),
        },
        Query {
            name: "performance of every account over a year",
            target: "(dashboard)",
            run: |v, s| {
                drop(v.performance_by_account(s.end - chrono::Duration::days(365), s.end).expect("performance"))
            },
        },
        Query {
            name: "breakdown by class at a date",
            target: "≤ 30 ms",
            run: |v, s| drop(v.breakdown(s.end, &BreakdownBy::Class).expect("breakdown")),
        },
        Query {
            name: "positions of a securities account (replayed)",
            target: "(account screen)",
            run: |v, s| drop(v.holdings(securities_account(v), s.end).expect("holdings")),
        },
        Query {
            name: "add then delete one buy (2 writes, accounts re-derived)",
            target: "(activity form)",
            run: |v, s| {
                let account = securities_account(v);
                let instrument = v.activities(Some(account)).expect("activities").iter().find_map(|a| a.instrument_id);
                let id = v
                    .add_activity(&patrimoine_core::activities::Activity {
                        id: 0,
                        account_id: account,
                        date: s.end,
                        kind: patrimoine_core::activities::ActivityKind::Buy,
                        instrument_id: instrument,
                        quantity: Some(1.into()),
                        unit_price: Some(10.into()),
                        amount: None,
                        fees: 0.into(),
                        note: String::new(),
                    })
                    .expect("add");
                v.delete_activity(id).expect("delete");
            },
        },
        Query {
            name: "set then delete one price (2 writes, positions revalued)",
            target: "(update prices)",
            run: |v, s| {
                let instrument = v.instruments().expect("instruments")[0].id;
                let p = patrimoine_core::instruments::PricePoint {
                    instrument_id: instrument,
                    date: s.end,
                    price: 42.into(),
                    source: patrimoine_core::values::Source::Manual,
                };
                v.set_prices(&[p]).expect("price");
                v.delete_price(instrument, s.end).expect("delete price");
            },
        },
        Query {
            name: "schedule of every loan",
            target: "(loans screen)",
            run: |v, s| {
                for l in v.loans().expect("loans") {
                    drop(v.loan_schedule(l.asset_id, s.end).expect("schedule"));
                }
            },
        },
    ];
    // `--profile-daily N`: run only the daily series N times (for `perf record`).
    if let Some(n) =
        std::env::args().skip_while(|a| a != "--profile-daily").nth(1).and_then(|n| n.parse::<usize>().ok())
    {
        for _ in 0..n {
            std::hint::black_box(
                session.vault().net_worth_series(spec.start(), spec.end, Step::Daily, false).expect("series"),
            );
        }
        return;
    }
    println!(
        "Profile: {} assets, {} value points, {} years; {} instruments, {} prices, {} activities, {} loans{}\n",
        spec.assets,
        spec.points,
        spec.years,
        sec.instruments,
        sec.prices,
        sec.activities,
        sec.loans,
        if quick { " (quick)" } else { "" }
    );
    println!("| measure | target | SQLCipher vault | plain SQLite | ratio |");
    println!("|---|---|---|---|---|");
    for q in &queries {
        let enc = time(9, || (q.run)(session.vault(), &spec));
        let pl = time(9, || (q.run)(&plain, &spec));
        println!(
            "| {} | {} | {} | {} | {:.2}× |",
            q.name,
            q.target,
            ms(enc),
            ms(pl),
            enc.as_secs_f64() / pl.as_secs_f64()
        );
    }
    println!("| CSV import of {} lines | ≤ 10 s | {:.2} s | | |", spec.points, import_time.as_secs_f64());
    println!(
        "| {} instruments, {} prices, {} activities, {} loans added ({derived} derived values) | | {:.2} s | | |",
        sec.instruments,
        sec.prices,
        sec.activities,
        sec.loans,
        securities_time.as_secs_f64()
    );

    // SQLCipher's `cipher_memory_security` (wipe what it frees), which the app leaves
    // off: the same queries on the same vault, in the same run, off (as above) and on,
    // and a 10,000-line import each way.
    let off: Vec<Duration> = queries.iter().map(|q| time(9, || (q.run)(session.vault(), &spec))).collect();
    let import_10k = |s: &patrimoine_core::Session, seed: u64| {
        let small = Spec { assets: 20, points: 10_000, seed, ..spec };
        let t = Instant::now();
        generate::populate(s.vault(), &small).expect("populate");
        t.elapsed()
    };
    let import_off = import_10k(&session, 7);
    session.vault().connection().execute_batch("PRAGMA cipher_memory_security = ON;").expect("memory security");
    println!("\n`cipher_memory_security`: the vault's queries with it off (the app's setting) and on, same run\n");
    println!("| measure | off | on | ratio on/off |");
    println!("|---|---|---|---|");
    for (q, off) in queries.iter().zip(off) {
        let on = time(9, || (q.run)(session.vault(), &spec));
        println!("| {} | {} | {} | {:.2}× |", q.name, ms(off), ms(on), on.as_secs_f64() / off.as_secs_f64());
    }
    let import_on = import_10k(&session, 8);
    println!(
        "| import of 10,000 more lines | {} | {} | {:.2}× |",
        ms(import_off),
        ms(import_on),
        import_on.as_secs_f64() / import_off.as_secs_f64()
    );
    session.vault().connection().execute_batch("PRAGMA cipher_memory_security = OFF;").expect("memory security off");

    drop(session);
    let kdf = time(3, || argon2id(password.as_bytes(), b"0123456789abcdef", params).expect("kdf"));
    let unlock = time(3, || dd.unlock_with_password("Bench", password).expect("unlock"));
    println!(
        "| unlock (KDF {} MiB, t={}) | KDF + ≤ 50 ms | {} | KDF alone {} | +{} |",
        params.m_kib / 1024,
        params.t,
        ms(unlock),
        ms(kdf),
        ms(unlock.saturating_sub(kdf))
    );
    let size = std::fs::metadata(tmp.path().join("data")).map(|_| dir_size(&tmp.path().join("data"))).unwrap_or(0);
    println!("\nVault folder size: {:.1} MB", size as f64 / 1e6);
}

/// The first generated securities account.
fn securities_account(v: &Vault) -> i64 {
    v.connection()
        .query_row("SELECT id FROM account WHERE name = 'Securities 0'", [], |r| r.get(0))
        .expect("securities account")
}

fn time_dashboard(dir: &str) {
    use patrimoine_core::charts::{self, ChartOptions, Lang};
    let dd = DataDir::open(dir).expect("data dir");
    let t = Instant::now();
    let s = dd.unlock_with_password("Bench", "benchmark password").expect("unlock");
    println!("unlock (floor KDF): {:?}", t.elapsed());
    let v = s.vault();
    let day = chrono::Local::now().date_naive();
    let opts = ChartOptions { width: 800, height: 320, lang: Lang::En, labels: Default::default() };
    for pass in ["cold", "warm"] {
        println!("-- {pass}");
        let step = |name: &str, f: &mut dyn FnMut()| {
            let t = Instant::now();
            f();
            println!("{name}: {:?}", t.elapsed());
        };
        step("net worth x3", &mut || {
            for d in [day, day - chrono::Months::new(1), day - chrono::Months::new(12)] {
                std::hint::black_box(v.net_worth(d).expect("nw"));
            }
        });
        step("assets", &mut || drop(v.assets().expect("assets")));
        for (name, from, st) in [
            ("1M", day - chrono::Months::new(1), Step::Daily),
            ("6M", day - chrono::Months::new(6), Step::Daily),
            ("1Y", day - chrono::Months::new(12), Step::Weekly),
            ("5Y", day - chrono::Months::new(60), Step::Monthly),
            ("ALL(1970)", NaiveDate::from_ymd_opt(1970, 1, 1).expect("date"), Step::Monthly),
        ] {
            let t = Instant::now();
            let series = v.net_worth_series(from, day, st, true).expect("series");
            let ts = t.elapsed();
            let t = Instant::now();
            let c = charts::net_worth(&series, &opts).expect("chart");
            println!(
                "chart {name}: series {ts:?}, drawing {:?}, {} samples, svg {} KiB",
                t.elapsed(),
                series.dates.len(),
                c.svg.len() / 1024
            );
        }
        for by in [BreakdownBy::Class, BreakdownBy::Institution, BreakdownBy::Currency] {
            let t = Instant::now();
            let b = v.breakdown(day, &by).expect("breakdown");
            let tb = t.elapsed();
            let t = Instant::now();
            let c = charts::allocation(&b, &opts).expect("chart");
            println!("breakdown {by:?}: {tb:?}, drawing {:?}, svg {} KiB", t.elapsed(), c.svg.len() / 1024);
        }
        step("stale", &mut || drop(v.stale_assets(day, 90).expect("stale")));
        step("performance by account", &mut || {
            drop(v.performance_by_account(day - chrono::Months::new(12), day).expect("perf"))
        });
        step("performance total", &mut || {
            std::hint::black_box(v.performance(None, day - chrono::Months::new(12), day).expect("perf"));
        });
    }
    let t = Instant::now();
    let b = s.backup_if_due(chrono::Utc::now()).expect("backup");
    println!("backup_if_due: {:?} (made: {})", t.elapsed(), b.is_some());
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(
                    |e| {
                        if e.path().is_dir() {
                            dir_size(&e.path())
                        } else {
                            e.metadata().map(|m| m.len()).unwrap_or(0)
                        }
                    },
                )
                .sum()
        })
        .unwrap_or(0)
}
