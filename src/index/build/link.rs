//! The pass over the whole knowledge base once every entry is known: the name
//! table (with what fuzzy lookup needs), each link's target, the backlinks,
//! and the link texts; then the entry sections are written.

use super::super::layout::{self, NONE, Sec, StrsBuilder, Writer};
use super::super::records::{self, BacklinkRecord, EntryRecord, FuzzRecord, LinkRecord};
use super::super::{Index, LINK_ALIAS, LINK_ID, LINK_TITLE};
use super::entries::{Entries, OLD_LINK};
use crate::kb::NameKind;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::io::{self, Seek, Write};

/// Resolves links, collects backlinks and builds the name table.
pub(super) fn link_and_name<W: Write + Seek>(
    mut entries: Entries,
    old: Option<&Index>,
    summaries_end: u32,
    w: &mut Writer<W>,
) -> io::Result<()> {
    let link_texts = std::mem::take(&mut entries.link_texts);
    let link_text = |text: u32| -> &str {
        if text & OLD_LINK != 0 {
            old.map_or("", |o| o.link_text((text & !OLD_LINK) as usize))
        } else {
            link_texts.get(text as usize)
        }
    };
    let n = entries.len();
    // Names: (normalized, entry << 2 | kind), the strongest kind per entry and name.
    let mut names: Vec<(String, u32)> = Vec::with_capacity(n * 2);
    for i in 0..n {
        let r = &entries.records[i];
        let (start, end) = (
            r.aliases as usize,
            entries.end(i, |r| r.aliases, entries.aliases.len()),
        );
        let id = entries.strings.get(r.id as usize);
        let title = entries.strings.get(r.title as usize);
        let mut add = |text: &str, kind: NameKind| {
            let key = crate::name::normalize(text);
            if !key.is_empty() {
                names.push((key, (i as u32) << 2 | kind as u32));
            }
        };
        add(id, NameKind::Id);
        add(title, NameKind::Title);
        for a in &entries.aliases[start..end] {
            add(entries.strings.get(*a as usize), NameKind::Alias);
        }
    }
    // Sorted by name, entry, kind; the first 8 bytes of a name, compared as a
    // number, settle most comparisons without reading the name itself.
    let prefix = |k: &str| {
        let mut b = [0u8; 8];
        let n = k.len().min(8);
        b[..n].copy_from_slice(&k.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    let mut order: Vec<(u64, u32)> = names
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (prefix(k), i as u32))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            let (x, y) = (&names[a.1 as usize], &names[b.1 as usize]);
            x.0.cmp(&y.0)
                .then((x.1 >> 2).cmp(&(y.1 >> 2)))
                .then(x.1.cmp(&y.1))
        })
    });
    // The strongest kind of name per entry and name.
    order.dedup_by(|b, a| {
        let (x, y) = (&names[a.1 as usize], &names[b.1 as usize]);
        x.0 == y.0 && x.1 >> 2 == y.1 >> 2
    });
    let mut keys = StrsBuilder::default();
    let mut starts: Vec<u32> = Vec::new();
    let mut refs: Vec<u32> = Vec::with_capacity(order.len());
    let mut fuzz: Vec<FuzzRecord> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let name = &names[order[i].1 as usize].0;
        let j = i + order[i..]
            .iter()
            .take_while(|x| names[x.1 as usize].0 == *name)
            .count();
        let mut group: Vec<u32> = order[i..j].iter().map(|x| names[x.1 as usize].1).collect();
        group.sort_by_key(|r| (r & 3, r >> 2));
        keys.push(name);
        starts.push(refs.len() as u32);
        refs.extend(group);
        let (mask, chars) = crate::fuzzy::plain(name);
        fuzz.push(FuzzRecord {
            mask,
            chars: chars as u32,
        });
        i = j;
    }
    starts.push(refs.len() as u32);
    drop(order);
    // Links resolve through a hash of the names, faster than searching the table.
    let by_name: FxHashMap<&str, u32> = (0..keys.len())
        .map(|k| (keys.get(k), refs[starts[k] as usize] >> 2))
        .collect();
    let resolve = |text: &str| -> u32 {
        // An id is its own normalized form: the common case needs no copy.
        let key = if crate::name::is_valid_id(text) {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(crate::name::normalize(text))
        };
        by_name.get(key.as_ref()).copied().unwrap_or(NONE)
    };
    let targets: Vec<u32> = entries
        .links
        .iter()
        .map(|l| resolve(link_text(l.text)))
        .collect();
    drop(by_name);
    for (link, target) in entries.links.iter_mut().zip(targets) {
        link.target = target;
    }
    let name_refs = records::encode_name_refs(&starts, &refs);
    drop(names);

    // Backlinks: (linking entry, link number), sorted by the linking entry's id
    // (entries are in id order), once per linking entry and relation.
    let mut back: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for from in 0..n {
        let start = entries.records[from].links as usize;
        let end = entries.end(from, |r| r.links, entries.links.len());
        for (l, link) in entries.links[start..end].iter().enumerate() {
            let (to, relation) = (link.target, link.relation);
            if to == NONE || to as usize == from {
                continue;
            }
            let list = &mut back[to as usize];
            let repeat = list
                .iter()
                .rev()
                .take_while(|b| b.0 == from as u32)
                .any(|b| entries.links[b.1 as usize].relation == relation);
            if !repeat {
                list.push((from as u32, (start + l) as u32));
            }
        }
    }
    let mut backlinks: Vec<BacklinkRecord> = Vec::new();
    for (i, list) in back.iter().enumerate() {
        entries.records[i].backlinks = backlinks.len() as u32;
        backlinks.extend(
            list.iter()
                .map(|&(from, link)| BacklinkRecord { from, link }),
        );
    }
    drop(back);

    // Link texts that repeat the target's id, title or alias are not stored twice.
    let mut texts = StrsBuilder::default();
    let mut links: Vec<LinkRecord> = Vec::with_capacity(entries.links.len());
    for &LinkRecord {
        text,
        target,
        relation,
    } in &entries.links
    {
        let text = link_text(text);
        let code = (target != NONE)
            .then(|| {
                let t = target as usize;
                let r = &entries.records[t];
                if entries.strings.get(r.id as usize) == text {
                    return Some(LINK_ID);
                }
                if entries.strings.get(r.title as usize) == text {
                    return Some(LINK_TITLE);
                }
                let end = entries.end(t, |r| r.aliases, entries.aliases.len());
                entries.aliases[r.aliases as usize..end]
                    .iter()
                    .position(|&a| entries.strings.get(a as usize) == text)
                    .map(|k| LINK_ALIAS | k as u32)
            })
            .flatten();
        links.push(LinkRecord {
            text: code.unwrap_or_else(|| texts.push(text)),
            target,
            relation,
        });
    }

    // The sentinel record: where every list of the last entry ends.
    entries.records.push(EntryRecord {
        summary: summaries_end,
        tags: entries.tags.len() as u32,
        aliases: entries.aliases.len() as u32,
        links: entries.links.len() as u32,
        backlinks: backlinks.len() as u32,
        file: NONE,
        ..EntryRecord::default()
    });
    w.section(Sec::Entries, &EntryRecord::encode_all(&entries.records))?;
    w.section(Sec::Strings, &entries.strings.to_bytes())?;
    w.section(Sec::Tags, &layout::u32_bytes(&entries.tags))?;
    w.section(Sec::Aliases, &layout::u32_bytes(&entries.aliases))?;
    w.section(Sec::Links, &LinkRecord::encode_all(&links))?;
    w.section(Sec::LinkTexts, &texts.to_bytes())?;
    w.section(Sec::Backlinks, &BacklinkRecord::encode_all(&backlinks))?;
    w.section(Sec::NameKeys, &keys.to_bytes())?;
    w.section(Sec::NameRefs, &name_refs)?;
    w.section(Sec::NameFuzz, &FuzzRecord::encode_all(&fuzz))?;
    let (words, lists) = super::name_words::name_words(&keys);
    w.section(Sec::NameWords, &words)?;
    w.section(Sec::NameWordNames, &lists)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::super::Index;
    use crate::kb::{NameKind, NameRef};

    /// A name lists every entry that has it, each once, by its strongest kind
    /// (id, title, alias), strongest first: `alpha` is alpha's id, title and
    /// alias, `shared` beta's title and alpha's and gamma's alias.
    #[test]
    fn a_name_lists_each_entry_that_has_it_once_by_its_strongest_kind() {
        let index = Index::from_texts(&[
            (
                "alpha",
                "title = \"Alpha\"\naliases = [\"Shared\", \"ALPHA\"]\ndefinition = \"x\"\n",
            ),
            ("beta", "title = \"Shared\"\ndefinition = \"x\"\n"),
            (
                "gamma",
                "title = \"Gamma\"\naliases = [\"shared\"]\ndefinition = \"x\"\n",
            ),
        ]);
        let at = |index: usize, kind: NameKind| NameRef { index, kind };
        assert_eq!(index.named("alpha"), [at(0, NameKind::Id)]);
        assert_eq!(
            index.named("shared"),
            [
                at(1, NameKind::Title),
                at(0, NameKind::Alias),
                at(2, NameKind::Alias)
            ]
        );
        assert_eq!(index.named("gamma"), [at(2, NameKind::Id)]);
    }

    /// Many entries with one name twice each (as title and alias): the name
    /// lists each once, as its title, whatever order the sort of all names
    /// left the two in before they were merged.
    #[test]
    fn many_entries_with_a_name_twice_are_each_listed_once() {
        let texts: Vec<(String, String)> = (0..40)
            .map(|i| {
                let text = "title = \"Common\"\naliases = [\"common\"]\ndefinition = \"x\"\n";
                (format!("e{i:02}"), text.to_owned())
            })
            .collect();
        let index = Index::from_owned_texts(&texts);
        let expected: Vec<NameRef> = (0..40)
            .map(|index| NameRef {
                index,
                kind: NameKind::Title,
            })
            .collect();
        assert_eq!(index.named("common"), expected);
    }
}
