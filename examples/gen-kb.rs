//! Writes a synthetic knowledge base for benchmarks: `cargo run --release --example gen-kb -- N DIR`.
//!
//! The output is deterministic (a fixed seed, its own small PRNG): N entries of
//! about 1.7 KB each, valid per `docs/entry-format.md`, in one subfolder per
//! kind. Each entry has 3–6 links written as ids, titles or aliases, a few tags,
//! often an alias, examples, sources and provenance; a few entries are linked to
//! far more often than the rest, as in a real knowledge base. On stdout it prints
//! one line of hints for the benchmark: an entry to show, a word to search for,
//! a misspelling that matches nothing, and the number of bytes written.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// SplitMix64: small, fast and good enough to spread synthetic text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// A number in `0..n`, small ones far more likely (roughly Zipf).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u.powf(1.4)) as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FUNCTION_WORDS: &str = "\
    the of and to in a is that for it as with by on are this be or from an their which they \
    can not when more other one each than may into between both its these often where but \
    also so who what over such most all";

const DOMAIN_WORDS: &str = "\
    conflict parties peace negotiation mediation trust dialogue power security violence \
    agreement community process interests rights state government groups resolution \
    settlement escalation threat coalition cooperation identity justice reconciliation \
    leaders public international regional local cultural economic political social legal \
    military civil society institutions framework strategy tactics approach problem dispute \
    crisis war ceasefire treaty alliance diplomacy sanctions incentives deterrence \
    compromise consensus facilitation arbitration adjudication intervention prevention \
    transformation polarization stereotypes misunderstanding communication information \
    sharing fact finding analysis mapping stakeholders participation representation \
    legitimacy authority resources scarcity territory borders refugees humanitarian aid \
    development reconstruction elections democracy governance accountability transparency \
    corruption reform policy training education workshop facilitator mediator observer \
    monitoring verification confidence building measures zones buffer protection victims \
    perpetrators grievances memory history narratives trauma healing forgiveness apology \
    restitution reparations truth commission tribunal law norms values religion ethnic \
    minority majority autonomy federalism sovereignty self determination secession partition \
    integration assimilation pluralism tolerance respect recognition dignity fear anger \
    hostility enmity rivalry competition bargaining leverage pressure coercion persuasion \
    exchange reciprocity commitment credibility signals backchannel envoy summit talks \
    proposal offer concession deadlock stalemate ripeness timing outcome implementation \
    compliance enforcement guarantee peacekeeping peacebuilding intractable protracted cycle \
    spiral entrapment framing reframing perception bias attribution empathy listening \
    understanding learning capacity networks organizations movements activists media \
    journalism rumors propaganda youth women elders villages cities neighbors families";

const TAGS: &str = "\
    negotiation mediation security diplomacy international community communication power \
    coalitions justice reconciliation prevention escalation identity culture economics law \
    governance human-rights media religion environment training dialogue trust violence \
    peace institutions elections refugees trauma history youth gender cities land water \
    labour health education";

const TITLE_WORDS: &str = "\
    regional mediation capacity trust dialogue power security community negotiation conflict \
    peace zones circles councils forums networks commissions tribunals talks workshops \
    coalitions alliances sanctions incentives guarantees monitoring verification early \
    warning rapid response shuttle track two citizen diplomacy preventive collective defense \
    deterrence escalation de spiral cycle entrapment ripeness hurting stalemate identity \
    recognition dignity truth justice restorative transitional reparations apology \
    forgiveness memory narratives framing reframing interest based rights principled \
    integrative distributive bargaining arbitration adjudication facilitation consensus \
    building confidence measures buffer humanitarian corridors ceasefire agreements power \
    sharing federal autonomy minority protection electoral reform governance local village \
    urban youth women elders religious interfaith media rumor control propaganda fact \
    finding joint problem solving analytic mapping stakeholder participation inclusive \
    legitimacy accountability resource scarcity water land border refugee return \
    reconstruction development aid conditionality economic interdependence trade linkage \
    issue package deals sequencing gradual reciprocation tension reduction hotline crisis \
    management communication listening empathy perspective taking stereotype contact \
    hypothesis exchange programs sister cities twinning sports diplomacy cultural heritage \
    education curriculum training mediator neutrality insider partial envoy special good \
    offices quiet backchannel secret channels summit proximity framework roadmap \
    implementation compliance spoilers guarantors peacekeeping observer missions \
    peacebuilding state institutions";

const SUFFIXES: &[&str] = &[
    "approach",
    "method",
    "framework",
    "model",
    "dynamics",
    "practice",
];
const KINDS: &[(&str, &str, u64)] = &[
    ("approach", "approaches", 35),
    ("problem", "problems", 30),
    ("concept", "concepts", 20),
    ("organization", "organizations", 8),
    ("case", "cases", 7),
];
const SURNAMES: &str = "\
    Fisher Ury Burton Kelman Lederach Zartman Kriesberg Boulding Deutsch Pruitt Rubin \
    Galtung Azar Volkan Saunders Curle Mitchell Bercovitch Touval Stedman Walter Fortna \
    Paris Autesserre Ramsbotham";

/// The words of one of the lists above.
fn list(words: &'static str) -> Vec<&'static str> {
    words.split_whitespace().collect()
}

struct Name {
    id: String,
    title: String,
    alias: Option<String>,
    kind: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen-kb N DIR   (N entries, N >= 2, written under DIR)");
        return ExitCode::from(2);
    };
    if n < 2 {
        eprintln!("gen-kb: N must be at least 2");
        return ExitCode::from(2);
    }
    match generate(n, Path::new(dir)) {
        Ok(hints) => {
            println!("{hints}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-kb: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A text vocabulary: function words, domain words, then a long tail of
/// made-up words, so that the knowledge base has a realistic spread of rare words.
fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cl",
        "dr", "gr", "pl", "st", "tr", "sh", "th",
    ];
    const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
    const CODAS: &[&str] = &["", "", "", "n", "r", "s", "l", "m", "nt", "st"];
    let mut words: Vec<String> = FUNCTION_WORDS
        .split_whitespace()
        .chain(DOMAIN_WORDS.split_whitespace())
        .map(str::to_owned)
        .collect();
    let mut seen: HashSet<String> = words.iter().cloned().collect();
    while words.len() < 8_000 {
        let syllables = rng.range(2, 3);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(rng.pick(ONSETS));
            w.push_str(rng.pick(NUCLEI));
            w.push_str(rng.pick(CODAS));
        }
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

fn names(n: usize, rng: &mut Rng) -> Vec<Name> {
    let mut ids = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let count = rng.range(2, 4);
        let words: Vec<&str> = (0..count).map(|_| rng.pick(&list(TITLE_WORDS))).collect();
        let id = words.join("-");
        if !ids.insert(id.clone()) {
            continue;
        }
        let title = words
            .iter()
            .map(|w| capitalize(w))
            .collect::<Vec<_>>()
            .join(" ");
        let alias = if rng.chance(60) {
            Some(format!("{} {}", title.to_lowercase(), rng.pick(SUFFIXES)))
        } else {
            None
        };
        let roll = rng.below(100) as u64;
        let mut acc = 0;
        let kind = KINDS
            .iter()
            .position(|&(_, _, p)| {
                acc += p;
                roll < acc
            })
            .unwrap_or(0);
        out.push(Name {
            id,
            title,
            alias,
            kind,
        });
    }
    out
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn sentence(rng: &mut Rng, vocab: &[String], lo: usize, hi: usize) -> String {
    let len = rng.range(lo, hi);
    let mut s = String::new();
    for i in 0..len {
        let w = &vocab[rng.skewed(vocab.len())];
        if i == 0 {
            s.push_str(&capitalize(w));
        } else {
            s.push(' ');
            s.push_str(w);
            if i + 1 < len && rng.chance(6) {
                s.push(',');
            }
        }
    }
    s.push('.');
    s
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn entry(i: usize, names: &[Name], vocab: &[String], rng: &mut Rng) -> String {
    let me = &names[i];
    let mut t = String::with_capacity(2048);
    let _ = writeln!(t, "title = {}", quoted(&me.title));
    let _ = writeln!(t, "kind = \"{}\"", KINDS[me.kind].0);
    let _ = writeln!(t, "summary = {}", quoted(&sentence(rng, vocab, 10, 16)));
    if let Some(alias) = &me.alias {
        let _ = writeln!(t, "aliases = [{}]", quoted(alias));
    }
    let tags: Vec<String> = (0..rng.range(1, 4))
        .map(|_| quoted(rng.pick(&list(TAGS))))
        .collect();
    let _ = writeln!(t, "tags = [{}]", tags.join(", "));
    // 3–6 links, to popular entries more often, written as id, title or alias.
    let count = rng.range(3, 6);
    let mut links: Vec<String> = Vec::new();
    let mut targets = HashSet::new();
    while links.len() < count {
        let target = if rng.chance(20) {
            // The first 1% of entries (at least 10) take a fifth of all links.
            rng.below((names.len() / 100).max(10).min(names.len()))
        } else {
            rng.below(names.len())
        };
        if target == i || !targets.insert(target) {
            continue;
        }
        let to = &names[target];
        let text = match (rng.below(10), &to.alias) {
            (0..=4, _) => to.id.clone(),
            (5..=7, _) | (_, None) => to.title.clone(),
            (_, Some(alias)) => alias.clone(),
        };
        links.push(quoted(&text));
    }
    let split = rng.range(1, count - 1);
    let _ = writeln!(t, "related_approaches = [{}]", links[..split].join(", "));
    let _ = writeln!(t, "related_problems = [{}]", links[split..].join(", "));
    t.push_str("definition = \"\"\"\n");
    let paragraphs = rng.range(2, 3);
    for p in 0..paragraphs {
        if p > 0 {
            t.push_str("\n\n");
        }
        let mut para = String::new();
        while para.len() < 850 / paragraphs {
            if !para.is_empty() {
                para.push(' ');
            }
            if rng.chance(8) {
                let other = &names[rng.below(names.len())];
                let _ = write!(para, "It is often compared with {}.", other.title);
            } else {
                para.push_str(&sentence(rng, vocab, 8, 20));
            }
        }
        t.push_str(&para);
    }
    t.push_str("\n\"\"\"\n");
    for n in 0..rng.range(0, 2) {
        let title = capitalize(
            &sentence(rng, vocab, 3, 6)
                .trim_end_matches('.')
                .to_lowercase(),
        );
        let _ = write!(
            t,
            "\n[[examples]]\ntitle = {}\nauthor = \"{}. {}\"\nyear = {}\ndescription = {}\nurl = \"http://example.org/works/{}-{n}\"\n",
            quoted(&title),
            (b'A' + rng.below(26) as u8) as char,
            rng.pick(&list(SURNAMES)),
            rng.range(1950, 2020),
            quoted(&sentence(rng, vocab, 6, 12)),
            me.id,
        );
    }
    if rng.chance(40) {
        let _ = write!(
            t,
            "\n[[sources]]\ntitle = {}\nauthor = \"{}\"\nyear = \"{}?\"\n",
            quoted(&capitalize(
                &sentence(rng, vocab, 2, 5)
                    .trim_end_matches('.')
                    .to_lowercase()
            )),
            rng.pick(&list(SURNAMES)),
            rng.range(1950, 2020),
        );
    }
    if rng.chance(50) {
        let _ = write!(
            t,
            "\n[provenance]\nfrom = \"synthetic knowledge base\"\npublisher = \"gen-kb\"\nyear = 2026\n"
        );
    }
    t
}

fn generate(n: usize, dir: &Path) -> Result<String, String> {
    let mut rng = Rng(0x0791_c0de_2026);
    let vocab = vocabulary(&mut rng);
    let names = names(n, &mut rng);
    for (_, folder, _) in KINDS {
        let sub = dir.join(folder);
        std::fs::create_dir_all(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
    }
    let mut bytes = 0usize;
    for i in 0..n {
        let text = entry(i, &names, &vocab, &mut rng);
        bytes += text.len();
        let path: PathBuf = dir
            .join(KINDS[names[i].kind].1)
            .join(format!("{}.toml", names[i].id));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // The hints: an often linked-to entry, a word in a few percent of entries,
    // and a misspelling of a title that is far enough from every name to miss.
    Ok(format!(
        "show={} search=reciprocity fuzzy=mediaton-capacty-zonez bytes={bytes} entries={n}",
        names[0].id
    ))
}
