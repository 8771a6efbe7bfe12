# A copy of ../shared/eval/entities_score.py (the scorer that grades held-out news), so the entity-gold test
# runs on a clone without ../shared; tests/test_entities_gold.py checks the copy is still identical.

"""Score Broadsheet ENTITY CLUSTERING and CANONICAL NAMES against a gold set in the format below.

    python entities_score.py OUTPUT_ROOT --gold GOLD.jsonl [--json]

OUTPUT_ROOT holds the Parquet tables of CONTRACT.md (documents, entities, mentions), each read with pyarrow.dataset
(hive partitioning; only the needed columns; a missing `mention_kind` column or missing table is tolerated).
The gold file (one JSON line per article: source, date, body, entities) is hand-annotated news (the held-out
set that grades Broadsheet is in the same format). Gold entity: key (global: the same key in every article for
the same real-world entity), name (canonical), alt_names (other acceptable canonical names, including the fullest
name the article itself gives), type (PERSON / ORG / LOC, LOC covering GPE, LOC, FAC), optional alt_types
(metonymy: "Wall Street" LOC or ORG, "White House" ORG or LOC), mentions [{start, end, text, ambiguous?}]: every
proper-name mention (no pronouns or descriptions; titles such as "Sen."/"President" and a possessive 's outside the
span; 0-based end-exclusive offsets into body). Mentions marked ambiguous (a bare surname or nickname the text does
not resolve) are left out of every figure. NORP groups ("Republicans"), laws, events and market indices are not
annotated; predictions on them are simply unmatched and cost nothing.

Documents are aligned like shared/eval/score.py (match by `source`, else gold body found inside documents.text;
predicted offsets are shifted into gold-body coordinates). Predicted mentions whose `mention_kind` is set and is not
"name" are ignored, as are mentions outside the aligned gold documents.

Matching: a predicted mention matches a gold name mention with exactly the same span ("exact", the headline figures;
when several predictions share a span, the one with the smallest entity_id is used), or, reported too, by overlap
(one-to-one, largest overlap first). Every figure below except mention recall is computed on matched mentions only.
  mention recall  matched gold mentions / gold mentions.
  B3 P/R/F1       within-document B-cubed (Bagga & Baldwin), micro-averaged over matched mentions; gold clusters =
                  gold entities restricted to matched mentions, predicted clusters = entity_id.
  MUC P/R/F1      within-document MUC (Vilain et al.), links summed over documents (0/0 counts as 0).
  split / merge   within-document mention pairs: same gold entity but different entity_id (split), different gold
                  entities but the same entity_id (merge); with the number of coreferent / non-coreferent gold pairs.
  cross-doc link  each gold entity (per article) with a matched mention gets the majority entity_id of its matched
                  mentions (ties: smallest id). Over all pairs of gold entities in different articles sharing a key:
                  fraction with equal ids. "false-merge": over pairs in different articles with different keys,
                  fraction with equal ids.
  canonical       per gold entity with a matched mention: entities.name of its majority entity_id, normalised (NFKC,
                  casefold, punctuation dropped, leading "the" dropped), equals the gold name or one of its alt_names,
                  also after dropping single-letter middle initials on either side ("Donald J. Trump" = "Donald
                  Trump"). canonical-strict: the gold name only (the fullest name, across articles). Also reported
                  on the entities whose article names them in more than one way ("Hillary Clinton" / "Clinton").
  type            on matched mentions: the entity's type mapped PERSON/PER->PERSON, ORG->ORG, GPE/LOC/FAC->LOC equals
                  the gold type or an alt_type.
Last printed line: `entities: mention recall R B3 F1 X MUC F1 Y cross-doc link Z false-merge W canonical C type T`.
"""
import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.dataset as ds


TYPE_MAP = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def read_table(root, name, columns):
    path = Path(root) / name
    if not path.exists():
        return []
    d = ds.dataset(str(path), format="parquet", partitioning="hive")
    cols = [c for c in columns if c in d.schema.names]
    if not cols:
        return []
    return d.to_table(columns=cols).to_pylist()


def sid(x):
    return None if x is None else str(x)


def norm(s):
    s = unicodedata.normalize("NFKC", s or "").casefold().strip()
    return re.sub(r"[^\w]+", " ", re.sub(r"^the\s+", "", s)).replace("_", " ").strip()


def drop_middle_initials(n):
    t = n.split()
    return " ".join([t[0]] + [w for w in t[1:-1] if not (len(w) == 1 and w.isalpha())] + [t[-1]]) if len(t) > 2 else n


def name_forms(s):
    n = norm(s)
    return {n, drop_middle_initials(n)} if n else set()


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def ratio(a, b):
    return round(a / b, 4) if b else 0.0


def f1(p, r):
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


# ---------------------------------------------------------------- document alignment (as shared/eval/score.py)

def align_docs(gold, docs):
    """Returns {gold source: (doc_id, shift)} where pred_offset - shift = gold_offset."""
    by_source = {}
    for d in docs:
        by_source.setdefault(d.get("source") or "", d)
        by_source.setdefault(Path(d.get("source") or "").name, d)
    out = {}
    for g in gold:
        body = g["body"]
        core = body.strip()
        lead = len(body) - len(body.lstrip())
        cands = [by_source[g["source"]]] if g["source"] in by_source else []
        cands += [d for d in docs if core[:200] in (d.get("text") or "")]
        for d in cands:
            text = d.get("text") or ""
            i = text.find(core)
            if i >= 0:
                out[g["source"]] = (sid(d["doc_id"]), i - lead)
                break
            j = body.find(text.strip()) if text.strip() else -1
            if j >= 0:  # pipeline trimmed the body: its text sits inside ours
                out[g["source"]] = (sid(d["doc_id"]), (len(text) - len(text.lstrip())) - j)
                break
        else:
            if cands:  # source matched but text differs: assume same offsets
                out[g["source"]] = (sid(cands[0]["doc_id"]), 0)
    return out


# ---------------------------------------------------------------- matching

def match_exact(golds, preds):
    """{gold index: pred index} for identical spans; several preds on one span -> smallest entity_id."""
    by_span = {}
    for pi, p in enumerate(preds):
        k = (p["start"], p["end"])
        if k not in by_span or (p["eid"] or "") < (preds[by_span[k]]["eid"] or ""):
            by_span[k] = pi
    return {gi: by_span[(g["start"], g["end"])] for gi, g in enumerate(golds) if (g["start"], g["end"]) in by_span}


def match_overlap(golds, preds):
    """One-to-one matching, largest overlap first. Returns {gold index: pred index}."""
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            ov = overlap((g["start"], g["end"]), (p["start"], p["end"]))
            if ov > 0:
                cands.append((-ov, gi, pi))
    used_g, used_p, out = set(), set(), {}
    for _, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi), used_p.add(pi)
            out[gi] = pi
    return out


# ---------------------------------------------------------------- metrics

def cluster_scores(docs_pairs):
    """docs_pairs: per document a list of (gold cluster, predicted cluster) for matched mentions."""
    b3p = b3r = n = 0.0
    muc_rn = muc_rd = muc_pn = muc_pd = 0
    split = merge = gold_links = gold_nonlinks = 0
    for pairs in docs_pairs:
        gcl, pcl = defaultdict(list), defaultdict(list)
        for i, (g, p) in enumerate(pairs):
            gcl[g].append(i)
            pcl[p].append(i)
        for g, p in pairs:
            inter = sum(1 for i in gcl[g] if pairs[i][1] == p)
            b3p += inter / len(pcl[p])
            b3r += inter / len(gcl[g])
            n += 1
        for members in gcl.values():
            muc_rn += len(members) - len({pairs[i][1] for i in members})
            muc_rd += len(members) - 1
        for members in pcl.values():
            muc_pn += len(members) - len({pairs[i][0] for i in members})
            muc_pd += len(members) - 1
        for i in range(len(pairs)):
            for j in range(i + 1, len(pairs)):
                same_g, same_p = pairs[i][0] == pairs[j][0], pairs[i][1] == pairs[j][1]
                gold_links += same_g
                gold_nonlinks += not same_g
                split += same_g and not same_p
                merge += same_p and not same_g
    p, r = (b3p / n if n else 0.0), (b3r / n if n else 0.0)
    mp, mr = (muc_pn / muc_pd if muc_pd else 0.0), (muc_rn / muc_rd if muc_rd else 0.0)
    return {"b3": {"p": round(p, 4), "r": round(r, 4), "f1": f1(p, r)},
            "muc": {"p": round(mp, 4), "r": round(mr, 4), "f1": f1(mp, mr)},
            "pairs": {"split": split, "merge": merge, "gold_coreferent": gold_links, "gold_distinct": gold_nonlinks}}


def score_mode(gold, gold_ments, preds, names, types, matcher):
    """gold_ments / preds: {source: [...]}. Returns the figures for one matching mode."""
    n_gold = n_matched = type_ok = 0
    by_type = defaultdict(lambda: [0, 0])
    docs_pairs, ent_pred = [], []  # ent_pred: (doc index, key, gold entity, predicted id)
    for di, g in enumerate(gold):
        gm, ps = gold_ments[g["source"]], preds.get(g["source"], [])
        m = matcher(gm, ps)
        n_gold += len(gm)
        n_matched += len(m)
        pairs, per_ent = [], defaultdict(list)
        for gi, x in enumerate(gm):
            by_type[x["etype"]][1] += 1
            if gi not in m:
                continue
            by_type[x["etype"]][0] += 1
            p = ps[m[gi]]
            pid = p["eid"] if p["eid"] is not None else f"\0none:{di}:{m[gi]}"  # no entity_id: a singleton
            pairs.append((x["ent"], pid))
            per_ent[x["ent"]].append(pid)
            t = TYPE_MAP.get((types.get(p["eid"]) or "").upper(), (types.get(p["eid"]) or "").upper())
            type_ok += t == x["etype"] or t in x["alt_types"]
        docs_pairs.append(pairs)
        for ei, pids in per_ent.items():
            cnt = Counter(pids)
            best = min(cnt, key=lambda k: (-cnt[k], k))
            ent_pred.append((di, g["entities"][ei], best))
    res = {"mention_recall": ratio(n_matched, n_gold), "gold_mentions": n_gold, "matched": n_matched,
           "recall_by_type": {t: {"matched": a, "gold": b, "r": ratio(a, b)} for t, (a, b) in sorted(by_type.items())}}
    res.update(cluster_scores(docs_pairs))
    link = link_n = fm = fm_n = 0
    per_key = defaultdict(lambda: [0, 0])
    for i in range(len(ent_pred)):
        di, ei, pi = ent_pred[i]
        for j in range(i + 1, len(ent_pred)):
            dj, ej, pj = ent_pred[j]
            if di == dj:
                continue
            if ei["key"] == ej["key"]:
                link_n += 1
                link += pi == pj
                per_key[ei["key"]][1] += 1
                per_key[ei["key"]][0] += pi == pj
            else:
                fm_n += 1
                fm += pi == pj
    res["cross_doc"] = {"link_recall": ratio(link, link_n), "link_pairs": link_n,
                        "false_merge_rate": ratio(fm, fm_n), "false_merges": fm, "distinct_pairs": fm_n,
                        "keys_linked_fully": sum(1 for a, b in per_key.values() if a == b), "keys": len(per_key)}
    can = strict = multi = multi_n = 0
    for _, e, pid in ent_pred:
        pred_forms = name_forms(names.get(pid) or "")
        strict += bool(pred_forms & name_forms(e["name"]))
        ok = bool(pred_forms & set().union(*(name_forms(x) for x in [e["name"]] + list(e.get("alt_names") or []))))
        can += ok
        if len({norm(m["text"]) for m in e["mentions"] if not m.get("ambiguous")}) > 1:  # the name varies
            multi_n += 1
            multi += ok
    res["canonical_acc"] = ratio(can, len(ent_pred))
    res["canonical_strict_acc"] = ratio(strict, len(ent_pred))
    res["canonical_n"] = len(ent_pred)
    res["canonical_varied_acc"] = ratio(multi, multi_n)
    res["canonical_varied_n"] = multi_n
    res["type_acc"] = ratio(type_ok, n_matched)
    return res


def score(gold, root):
    docs = read_table(root, "documents", ["doc_id", "source", "text"])
    alignment = align_docs(gold, docs)
    src_of = {doc_id: (src, shift) for src, (doc_id, shift) in alignment.items()}
    names, types = {}, {}
    for e in read_table(root, "entities", ["entity_id", "name", "type"]):
        k = sid(e.get("entity_id"))
        if k is not None and k not in names:
            names[k], types[k] = e.get("name"), e.get("type")
    rows = read_table(root, "mentions", ["doc_id", "entity_id", "start_char", "end_char", "mention_kind"])
    preds, ignored = defaultdict(list), 0
    for r in rows:
        d = sid(r.get("doc_id"))
        if d not in src_of or r.get("start_char") is None or r.get("end_char") is None:
            continue
        kind = r.get("mention_kind")
        if kind is not None and str(kind).strip().lower() != "name":
            ignored += 1
            continue
        src, shift = src_of[d]
        preds[src].append({"start": r["start_char"] - shift, "end": r["end_char"] - shift,
                           "eid": sid(r.get("entity_id"))})
    gold_ments = {}
    for g in gold:
        gm = []
        for ei, e in enumerate(g["entities"]):
            for m in e["mentions"]:
                if not m.get("ambiguous"):
                    gm.append({"start": m["start"], "end": m["end"], "ent": ei, "etype": e["type"],
                               "alt_types": set(e.get("alt_types") or [])})
        gold_ments[g["source"]] = gm
    keys = defaultdict(set)
    for g in gold:
        for e in g["entities"]:
            if any(not m.get("ambiguous") for m in e["mentions"]):
                keys[e["key"]].add(g["source"])
    res = {"docs_gold": len(gold), "docs_aligned": len(alignment),
           "gold_entities": sum(len(g["entities"]) for g in gold),
           "gold_keys": len(keys), "gold_keys_multi_doc": sum(1 for v in keys.values() if len(v) > 1),
           "pred_mentions": sum(len(v) for v in preds.values()), "ignored_non_name_mentions": ignored}
    res["exact"] = score_mode(gold, gold_ments, preds, names, types, match_exact)
    res["overlap"] = score_mode(gold, gold_ments, preds, names, types, match_overlap)
    return res


def print_report(res):
    print(f"entities docs {res['docs_aligned']}/{res['docs_gold']} aligned; gold {res['gold_entities']} entities, "
          f"{res['exact']['gold_mentions']} scored name mentions, {res['gold_keys']} keys "
          f"({res['gold_keys_multi_doc']} in >= 2 articles); predicted name mentions in gold docs "
          f"{res['pred_mentions']} (ignored non-name {res['ignored_non_name_mentions']})")
    for mode in ("overlap", "exact"):
        r = res[mode]
        x = r["cross_doc"]
        print(f"entities [{mode:>7}] mention recall {r['mention_recall']:.3f} ({r['matched']}/{r['gold_mentions']}; "
              + "  ".join(f"{t} {v['matched']}/{v['gold']}" for t, v in r["recall_by_type"].items()) + ")")
        print(f"entities [{mode:>7}] B3 P {r['b3']['p']:.3f} R {r['b3']['r']:.3f} F1 {r['b3']['f1']:.3f}   "
              f"MUC P {r['muc']['p']:.3f} R {r['muc']['r']:.3f} F1 {r['muc']['f1']:.3f}   pairs split "
              f"{r['pairs']['split']}/{r['pairs']['gold_coreferent']} "
              f"merge {r['pairs']['merge']}/{r['pairs']['gold_distinct']}")
        print(f"entities [{mode:>7}] cross-doc link recall {x['link_recall']:.3f} ({x['link_pairs']} pairs, "
              f"{x['keys_linked_fully']}/{x['keys']} keys fully linked)  false-merge rate {x['false_merge_rate']:.4f} "
              f"({x['false_merges']}/{x['distinct_pairs']})")
        print(f"entities [{mode:>7}] canonical acc {r['canonical_acc']:.3f} (n {r['canonical_n']}; strict "
              f"{r['canonical_strict_acc']:.3f}; entities named in varying ways {r['canonical_varied_acc']:.3f}, "
              f"n {r['canonical_varied_n']})  type acc {r['type_acc']:.3f}")
    r = res["exact"]
    print(f"entities: mention recall {r['mention_recall']:.3f} B3 F1 {r['b3']['f1']:.3f} MUC F1 {r['muc']['f1']:.3f} "
          f"cross-doc link {r['cross_doc']['link_recall']:.3f} false-merge {r['cross_doc']['false_merge_rate']:.3f} "
          f"canonical {r['canonical_acc']:.3f} type {r['type_acc']:.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output_root")
    ap.add_argument("--gold", required=True)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    try:
        gold = [json.loads(line) for line in open(a.gold, encoding="utf-8") if line.strip()]
        res = score(gold, a.output_root)
    except Exception as e:  # unreadable inputs
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(2)
    res["gold"] = str(a.gold)
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        print_report(res)


if __name__ == "__main__":
    main()
