# A copy of ../shared/eval/events_score.py (the scorer that grades held-out news), so the dev-gold test
# runs on a clone without ../shared; tests/test_events_dev_gold.py checks the copy is still identical.

"""Score Broadsheet EVENT extraction against a gold set in the format below (see EVENTS-GUIDE.md for events).

    python events_score.py OUTPUT_ROOT --gold GOLD.jsonl [--json]

OUTPUT_ROOT holds the Parquet tables of CONTRACT.md (documents, events, event_participants, entities), each read
with pyarrow.dataset (hive partitioning; only the needed columns; missing optional columns/tables tolerated).
The gold file (one JSON line per article: source, date, body, events) is hand-annotated news (the held-out set
that grades Broadsheet is in the same format). Gold event: type (coarse), subtype, trigger, start/end (0-based, end-exclusive,
into body), modality, polarity, participants [{name, role}], date_value (TIMEX3 or null), optional, alt_types.

Documents are aligned like shared/eval/score.py (match by `source`, else gold body found inside documents.text;
predicted offsets are shifted into gold-body coordinates). Only predicted events in the aligned gold documents count.

Metrics
  trigger   type-agnostic span P/R/F1. A prediction matches a gold trigger when the spans overlap by >= 1 char;
            one-to-one, largest overlap first. Gold events marked "optional" (out-of-taxonomy events such as
            investigations/searches, quote-cue verbs, borderline or generic mentions) are not in the recall
            denominator, and predictions that overlap only them are neutral (left out of the precision denominator).
  type-acc  on matched triggers. Predicted event_type is lowercased and stripped of non-letters
            ("Contact.Phone-Write" -> "contactphonewrite"). Correct when it contains the gold subtype or one of its
            synonyms (SUBTYPE_KEYS, e.g. pay: pay/money/fund/donat/transfermoney...), or -- when no subtype synonym hits --
            when it contains the gold coarse type (COARSE_KEYS) and no keyword of another subtype of that coarse type
            (so "Justice" alone passes for a gold Justice.sue, "Justice.Arrest" does not). Gold alt_types (e.g. a tweet:
            Contact.write, alt Media.publish) are tried the same way.
  participant-recall  on matched events, over gold participants: a gold participant counts when some predicted
            participant of that event (event_participants -> entities.name, plus location_entity_id) has a name that,
            normalised (NFKC, casefold, leading "the" and punctuation dropped), equals it, shares its last token,
            is a one-token name contained in the other, or is its acronym ("RNC" ~ "Republican National Committee").
  date-acc  on matched events whose gold has date_value: predicted date_value equals it (a value with a time part
            counts by its date prefix); with no date_value, date_start == date_end == the gold day also counts.
Last printed line: `events: trigger F1 X type-acc Y participant-recall Z date-acc W`.
"""
import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pyarrow.dataset as ds



# keywords searched in the lowercased, letters-only predicted event_type
SUBTYPE_KEYS = {
    "born": ["born", "birth"],
    "marry": ["marry", "marri", "wedding"],
    "divorce": ["divorc"],
    "die": ["die", "death", "dead", "kill"],
    "injure": ["injur", "wound", "hurt"],
    "relationship": ["relationship", "dating", "romance", "affair"],
    "travel": ["travel", "transport", "trip", "visit", "arriv", "depart", "journey"],
    "transport": ["transport", "travel", "ship", "deliver", "carry"],
    "buy": ["buy", "purchas", "acqui", "transferownership"],
    "sell": ["sell", "sale", "sold", "transferownership"],
    "pay": ["pay", "money", "fund", "donat", "transfermoney", "contribut", "spend"],
    "give": ["give", "handover"],
    "merge": ["merg", "acqui"],
    "launch": ["launch", "startorg", "found", "introduc", "unveil"],
    "bankrupt": ["bankrupt", "endorg", "insolven"],
    "attack": ["attack", "assault", "bomb", "shoot", "violen", "hack", "rape", "abuse", "harass"],
    "demonstrate": ["demonstrat", "protest", "rally", "march"],
    "threaten": ["threat", "intimidat"],
    "meet": ["meet", "talk", "conference", "hearing", "summit", "discuss"],
    "write": ["write", "phone", "call", "email", "mail", "letter", "message", "tweet", "correspond"],
    "phone": ["phone", "call", "write", "telephon"],
    "interview": ["interview"],
    "elect": ["elect", "vote", "ballot", "primar"],
    "appoint": ["appoint", "startposition", "hire", "designat", "install"],
    "resign": ["resign", "endposition", "quit", "stepdown"],
    "fire": ["fire", "dismiss", "endposition", "oust", "replac", "remov", "demot", "sack"],
    "nominate": ["nominat"],
    "arrest": ["arrest", "jail", "detain", "custody"],
    "charge": ["charge", "indict", "prosecut"],
    "sue": ["sue", "lawsuit", "litigat"],
    "convict": ["convict", "guilty", "verdict"],
    "sentence": ["sentenc", "prison", "imprison"],
    "rule": ["rule", "ruling", "verdict", "court", "judg"],
    "acquit": ["acquit", "clear", "exonerat"],
    "appeal": ["appeal"],
    "pardon": ["pardon", "releaseparole", "clemency"],
    "investigate": ["investigat", "probe", "inquir"],
    "search": ["search", "seiz"],
    "seize": ["seiz", "confiscat"],
    "warrant": ["warrant"],
    "publish": ["publish", "release", "post", "leak", "reveal", "disclos", "print"],
    "release": ["release", "publish", "leak", "disclos", "issue"],
    "broadcast": ["broadcast", "televis", "airing"],
}
COARSE_KEYS = {
    "life": ["life"], "movement": ["movement", "move"], "transaction": ["transaction"],
    "business": ["business"], "conflict": ["conflict"], "contact": ["contact", "communicat"],
    "personnel": ["personnel"], "justice": ["justice", "legal"], "media": ["media"],
}
COARSE_SUBTYPES = {
    "life": ["born", "marry", "divorce", "die", "injure", "relationship"],
    "movement": ["travel", "transport"],
    "transaction": ["buy", "sell", "pay", "give"],
    "business": ["merge", "launch", "bankrupt"],
    "conflict": ["attack", "demonstrate", "threaten"],
    "contact": ["meet", "write", "phone", "interview"],
    "personnel": ["elect", "appoint", "resign", "fire", "nominate"],
    "justice": ["arrest", "charge", "sue", "convict", "sentence", "rule", "acquit", "appeal", "pardon",
                "investigate", "search", "seize", "warrant"],
    "media": ["publish", "release", "broadcast"],
}
STOP = {"of", "and", "the", "for", "de", "on", "in", "to"}


def read_table(root, name, columns):
    path = Path(root) / name
    if not path.exists():
        return []
    d = ds.dataset(str(path), format="parquet", partitioning="hive")
    cols = [c for c in columns if c in d.schema.names]
    if not cols:
        return []
    return d.to_table(columns=cols).to_pylist()


def norm(s):
    s = unicodedata.normalize("NFKC", s or "").casefold().strip()
    return re.sub(r"[^\w]+", " ", re.sub(r"^the\s+", "", s)).strip()


def sid(x):
    return None if x is None else str(x)


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def greedy_match(golds, preds):
    """One-to-one matching, largest overlap first. Returns {gold_index: pred_index}."""
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


# ---------------------------------------------------------------- rules

def type_ok(pred_type, gold):
    t = re.sub(r"[^a-z]", "", (pred_type or "").lower())
    if not t:
        return False
    for ts in [f"{gold['type']}.{gold['subtype']}"] + list(gold.get("alt_types") or []):
        coarse, _, sub = ts.lower().partition(".")
        keys = SUBTYPE_KEYS.get(sub, [sub])
        if any(k in t for k in keys):
            return True
        if any(k in t for k in COARSE_KEYS.get(coarse, [coarse])):
            others = [k for s in COARSE_SUBTYPES.get(coarse, []) if s != sub for k in SUBTYPE_KEYS.get(s, [s])
                      if k not in keys]
            if not any(k in t for k in others):
                return True
    return False


def acronym(tokens):
    return "".join(w[0] for w in tokens if w not in STOP)


def names_match(gold_name, pred_name):
    g, p = norm(gold_name).split(), norm(pred_name).split()
    if not g or not p:
        return False
    if g == p or g[-1] == p[-1]:
        return True
    if (len(g) == 1 and g[0] in p) or (len(p) == 1 and p[0] in g):
        return True
    if len(g) == 1 and len(p) > 2 and acronym(p) == g[0]:
        return True
    return len(p) == 1 and len(g) > 2 and acronym(g) == p[0]


def date_ok(pred, gold_value):
    v = (pred.get("date_value") or "").strip()
    if v:
        return v == gold_value or (len(gold_value) == 10 and v.startswith(gold_value + "T"))
    ds_, de_ = pred.get("date_start"), pred.get("date_end")
    if len(gold_value) == 10 and ds_ is not None and de_ is not None:
        return str(ds_)[:10] == gold_value and str(de_)[:10] == gold_value
    return False


# ---------------------------------------------------------------- scoring

def score(gold, root):
    docs = read_table(root, "documents", ["doc_id", "source", "text"])
    alignment = align_docs(gold, docs)
    shift_of = {doc_id: s for doc_id, s in alignment.values()}
    rows = read_table(root, "events", ["event_id", "doc_id", "event_type", "trigger", "start_char", "end_char",
                                       "date_value", "date_start", "date_end", "location_entity_id"])
    preds = defaultdict(list)
    for r in rows:
        d = sid(r.get("doc_id"))
        if d in shift_of and r.get("start_char") is not None and r.get("end_char") is not None:
            s = shift_of[d]
            preds[d].append(dict(r, start=r["start_char"] - s, end=r["end_char"] - s))
    wanted = {sid(p.get("event_id")) for ps in preds.values() for p in ps}
    names = {}
    if wanted:
        names = {sid(e.get("entity_id")): e.get("name") or "" for e in read_table(root, "entities", ["entity_id", "name"])}
    part_names = defaultdict(list)
    if wanted:
        for r in read_table(root, "event_participants", ["event_id", "entity_id", "role", "name", "text"]):
            eid = sid(r.get("event_id"))
            if eid in wanted:
                for n in (names.get(sid(r.get("entity_id"))), r.get("name"), r.get("text")):
                    if n:
                        part_names[eid].append(n)

    c = defaultdict(int)
    per_type = defaultdict(lambda: [0, 0])  # coarse -> [matched, gold]
    per_mod = defaultdict(lambda: [0, 0])
    for g in gold:
        doc_id = alignment.get(g["source"], (None,))[0]
        ps = preds.get(doc_id, []) if doc_id is not None else []
        req = [e for e in g["events"] if not e.get("optional")]
        opt = [e for e in g["events"] if e.get("optional")]
        m = greedy_match(req, ps)
        used = set(m.values())
        neutral = sum(1 for pi, p in enumerate(ps) if pi not in used and
                      any(overlap((o["start"], o["end"]), (p["start"], p["end"])) for o in opt))
        c["n_pred"] += len(ps) - neutral
        c["neutral"] += neutral
        c["n_gold"] += len(req)
        c["tp"] += len(m)
        for gi, e in enumerate(req):
            per_type[e["type"]][1] += 1
            per_mod[e["modality"]][1] += 1
            if gi not in m:
                continue
            per_type[e["type"]][0] += 1
            per_mod[e["modality"]][0] += 1
            p = ps[m[gi]]
            c["type_ok"] += type_ok(p.get("event_type"), e)
            pn = list(part_names.get(sid(p.get("event_id")), []))
            loc = names.get(sid(p.get("location_entity_id")))
            if loc:
                pn.append(loc)
            for gp in e.get("participants") or []:
                c["part_n"] += 1
                c["part_ok"] += any(names_match(gp["name"], n) for n in pn)
            if e.get("date_value"):
                c["date_n"] += 1
                c["date_ok"] += date_ok(p, e["date_value"])
    trig = prf(c["tp"], c["n_pred"], c["n_gold"])
    trig["neutral_preds"] = c["neutral"]
    ratio = lambda a, b: round(c[a] / c[b], 4) if c[b] else 0.0  # noqa: E731
    res = {"docs_gold": len(gold), "docs_aligned": len(alignment), "trigger": trig,
           "type_acc": ratio("type_ok", "tp"), "type_n": c["tp"],
           "participant_recall": ratio("part_ok", "part_n"), "participant_n": c["part_n"],
           "date_acc": ratio("date_ok", "date_n"), "date_n": c["date_n"],
           "recall_by_type": {t: {"matched": a, "gold": b, "r": round(a / b, 4)} for t, (a, b) in sorted(per_type.items())},
           "recall_by_modality": {t: {"matched": a, "gold": b, "r": round(a / b, 4)} for t, (a, b) in sorted(per_mod.items())}}
    res["typed_f1"] = round(trig["f1"] * res["type_acc"], 4)
    return res


def print_report(res):
    t = res["trigger"]
    print(f"events docs {res['docs_aligned']}/{res['docs_gold']} aligned")
    print(f"events trigger P {t['p']:.3f}  R {t['r']:.3f}  F1 {t['f1']:.3f}  "
          f"(pred {t['n_pred']}, gold {t['n_gold']}, matched {t['tp']}, neutral preds on optional gold {t['neutral_preds']})")
    print(f"events type acc {res['type_acc']:.3f} (n {res['type_n']})  typed F1 {res['typed_f1']:.3f}")
    print(f"events participant recall {res['participant_recall']:.3f} (n {res['participant_n']})  "
          f"date acc {res['date_acc']:.3f} (n {res['date_n']})")
    print("events trigger recall by type: " + "  ".join(
        f"{k} {v['matched']}/{v['gold']}" for k, v in res["recall_by_type"].items()))
    print("events trigger recall by modality: " + "  ".join(
        f"{k} {v['matched']}/{v['gold']}" for k, v in res["recall_by_modality"].items()))
    print(f"events: trigger F1 {t['f1']:.3f} type-acc {res['type_acc']:.3f} "
          f"participant-recall {res['participant_recall']:.3f} date-acc {res['date_acc']:.3f}")


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
