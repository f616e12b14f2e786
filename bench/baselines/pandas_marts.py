"""pandas baseline of the bench: the same core marts as bench/baselines/*.sql, written the way a growth analyst
would in pandas, on the same canonical CSV files. Usage: python3 pandas_marts.py DATA_DIR

Prints one JSON object on stdout: {"pandas", "python", "stages": {stage: {"seconds", "peakRssMb", "rows"}}}. Stage
names match refstack's (ingest, staging, attribution, cohorts-ltv, referrals, rewards). peakRssMb is the process's
peak so far (ru_maxrss), so it only grows from stage to stage.
"""
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

DATA = sys.argv[1]
STAGES = {}
PAID = ["paid", "partially_refunded", "refunded", "chargeback"]


def stage(name):
    def wrap(fn):
        def run(*args):
            t0 = time.perf_counter()
            out, rows = fn(*args)
            STAGES[name] = {
                "seconds": time.perf_counter() - t0,
                "peakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "rows": int(rows),
            }
            return out

        return run

    return wrap


def ts(s):
    return pd.to_datetime(s, utc=True, format="%Y-%m-%dT%H:%M:%S.%fZ").dt.tz_localize(None)


def minor(s):
    return (s.fillna(0) * 100).round().astype("int64")


@stage("ingest")
def ingest():
    t = {}
    for name in [
        "customers", "orders", "touches", "referral_events", "survey_responses", "experiment_assignments",
        "support_interactions", "email_events", "marketing_spend", "fx_rates",
    ]:
        path = os.path.join(DATA, f"{name}.csv")
        if os.path.exists(path):
            t[name] = pd.read_csv(path, low_memory=False)
    for name, cols in {
        "customers": ["created_at"], "orders": ["ordered_at"], "touches": ["occurred_at"],
        "referral_events": ["occurred_at"], "email_events": ["occurred_at"],
    }.items():
        for c in cols:
            t[name][c] = ts(t[name][c])
    o = t["orders"]
    for m in ["gross", "discount", "tax", "refunded"]:
        o[f"{m}_minor"] = minor(o.pop(f"{m}_amount"))
    return t, sum(len(df) for df in t.values())


def host(url):
    return url.str.extract(r"^[a-z]+://([^/:?#]+)", expand=False).str.lower().str.replace(r"^www\.", "", regex=True)


@stage("staging")
def staging(t):
    c = t["customers"].sort_values("created_at").drop_duplicates("customer_id", keep="last").copy()
    c["referred_by_code"] = c["referred_by_code"].str.strip().str.upper()
    c["is_referred"] = c["referred_by_code"].notna() & (c["referred_by_code"] != "")
    c["person_id"] = c["customer_id"]

    raw = t["touches"].sort_values("occurred_at").drop_duplicates("touch_id", keep="last")
    known = raw[raw["customer_id"].notna()]

    def first_customer(col):
        seen = known[known[col].notna()].groupby([col, "customer_id"], as_index=False)["occurred_at"].min()
        seen = seen.sort_values([col, "occurred_at", "customer_id"]).drop_duplicates(col, keep="first")
        return seen.set_index(col)["customer_id"]

    anon, device = first_customer("anonymous_id"), first_customer("device_id")
    tt = pd.DataFrame({
        "touch_id": raw["touch_id"], "program_id": raw["program_id"], "anonymous_id": raw["anonymous_id"],
        "customer_id": raw["customer_id"], "device_id": raw["device_id"], "occurred_at": raw["occurred_at"],
        "touch_type": raw["touch_type"].str.lower(),
    })
    for col in ["utm_source", "utm_medium", "utm_campaign"]:
        tt[col] = raw[col].str.strip().str.lower().replace("", np.nan)
    tt["referrer_host"] = host(raw["referrer_url"])
    page_host = host(raw["page_url"])
    tt["referral_code"] = raw["page_url"].str.lower().str.extract(r"[?&]ref=([^&#]+)", expand=False).str.upper()
    med, src, ref = tt["utm_medium"], tt["utm_source"], tt["referrer_host"]
    tt["channel_group"] = np.select(
        [
            tt["referral_code"].notna() | (med == "referral"),
            med.isin(["cpc", "ppc", "paidsearch"]) & src.isin(["google", "bing"]),
            med.isin(["paid_social", "cpc", "paidsocial"]),
            med == "email",
            src.isna() & ref.str.contains("google|bing|duckduckgo", na=False),
            src.isna() & ref.notna() & (ref != page_host),
        ],
        ["Referral Program", "Paid Search", "Paid Social", "Email", "Organic Search", "Referral"],
        default="Direct",
    )
    person = tt["customer_id"].where(tt["customer_id"].isin(c["customer_id"]))
    person = person.fillna(tt["anonymous_id"].map(anon)).fillna(tt["device_id"].map(device))
    tt["person_id"] = person.fillna("anon|" + tt["anonymous_id"])

    o = t["orders"].sort_values("ordered_at").drop_duplicates("order_id", keep="last").copy()
    o["status"] = o["status"].str.lower()
    o["order_date"] = o["ordered_at"].dt.normalize()
    o["net_minor"] = (o["gross_minor"] - o["discount_minor"] - o["refunded_minor"]).clip(lower=0)
    fx = t["fx_rates"].assign(rate_date=lambda f: pd.to_datetime(f["rate_date"]))[["rate_date", "currency", "rate"]]
    fx = pd.concat([fx, pd.DataFrame({"rate_date": [pd.Timestamp("1970-01-01")], "currency": ["USD"], "rate": [1.0]})])
    o = pd.merge_asof(
        o.sort_values("order_date"), fx.sort_values("rate_date"), left_on="order_date", right_on="rate_date",
        by="currency",
    )
    o["net_reporting_minor"] = (o["net_minor"] * o["rate"]).round().astype("int64")

    e = t["referral_events"].sort_values("occurred_at").drop_duplicates("event_id", keep="last").copy()
    e["event_type"] = e["event_type"].str.lower()
    r = (
        e[(e["event_type"] == "signed_up") & e["referee_id"].notna()]
        .sort_values("occurred_at")
        .groupby(["program_id", "referee_id"], as_index=False)
        .agg(advocate_id=("advocate_id", "first"), signed_up_at=("occurred_at", "first"))
    )
    s = {"customers": c, "touches": tt, "orders": o, "referral_events": e, "referrals": r}
    return s, sum(len(df) for df in s.values())


@stage("attribution")
def attribution(s):
    o = s["orders"].merge(s["customers"][["customer_id", "person_id"]], on="customer_id")
    o = o[o["status"].isin(PAID)].sort_values(["person_id", "ordered_at", "order_id"])
    conv = o.drop_duplicates("person_id", keep="first")[["order_id", "person_id", "ordered_at", "net_reporting_minor"]]
    tt = s["touches"][["touch_id", "person_id", "occurred_at", "touch_type", "channel_group"]]
    j = conv.merge(tt, on="person_id")
    window = pd.to_timedelta(np.where(j["touch_type"] == "view", 1, 30), unit="D")
    j = j[(j["occurred_at"] < j["ordered_at"]) & (j["occurred_at"] >= j["ordered_at"] - window)]
    j = j.sort_values(["order_id", "occurred_at", "touch_id"], ascending=[True, False, False])
    j["rn"] = j.groupby("order_id").cumcount() + 1
    j["n"] = j.groupby("order_id")["touch_id"].transform("size")
    last = j[j["rn"] == 1].assign(credit=1.0, revenue_credit_minor=lambda x: x["net_reporting_minor"])
    rev = j["net_reporting_minor"]
    linear = j.assign(
        credit=1.0 / j["n"], revenue_credit_minor=(rev * j["rn"]) // j["n"] - (rev * (j["rn"] - 1)) // j["n"]
    )
    summary = pd.concat([
        last.groupby("channel_group")[["credit", "revenue_credit_minor"]].sum().assign(model="last_touch"),
        linear.groupby("channel_group")[["credit", "revenue_credit_minor"]].sum().assign(model="linear"),
    ])
    return summary, len(j)


@stage("cohorts-ltv")
def cohorts(s):
    p = s["orders"].merge(s["customers"][["customer_id", "person_id", "is_referred"]], on="customer_id")
    p = p[p["status"].isin(["paid", "partially_refunded", "refunded"])].copy()
    p["activity_month"] = p["order_date"].dt.to_period("M")
    c = p.groupby("person_id").agg(referred=("is_referred", "max"), first_day=("order_date", "min"))
    c["acquisition_type"] = np.where(c["referred"], "referred", "non_referred")
    c["cohort_month"] = c["first_day"].dt.to_period("M")
    p = p.join(c[["acquisition_type", "cohort_month"]], on="person_id")
    first = p["person_id"].map(c["first_day"])
    p["period_offset"] = (p["order_date"].dt.year - first.dt.year) * 12 + p["order_date"].dt.month - first.dt.month
    a = p.groupby(["acquisition_type", "cohort_month", "period_offset"]).agg(
        active_people=("person_id", "nunique"), orders=("order_id", "size"), net_revenue_minor=("net_reporting_minor", "sum")
    ).reset_index()
    sizes = c.groupby(["acquisition_type", "cohort_month"]).size().rename("cohort_people").reset_index()
    a = a.merge(sizes, on=["acquisition_type", "cohort_month"])
    a["retention_rate"] = a["active_people"] / a["cohort_people"]
    a["cumulative_net_revenue_minor"] = a.groupby(["acquisition_type", "cohort_month"])["net_revenue_minor"].cumsum()
    return a, len(a)


def first_orders(s, statuses):
    o = s["orders"][s["orders"]["status"].isin(statuses)]
    f = s["referrals"].merge(o, left_on="referee_id", right_on="customer_id", suffixes=("", "_order"))
    f = f.sort_values(["program_id", "referee_id", "ordered_at", "order_id"])
    return f.drop_duplicates(["program_id", "referee_id"], keep="first")


@stage("referrals")
def referrals(s):
    keys = ["program_id", "advocate_id", "month"]
    e = s["referral_events"]
    e = e[e["event_type"].isin(["invited", "clicked"])].assign(month=lambda x: x["occurred_at"].dt.to_period("M"))
    ev = e.pivot_table(index=keys, columns="event_type", values="event_id", aggfunc="count", fill_value=0)
    r = s["referrals"].assign(month=lambda x: x["signed_up_at"].dt.to_period("M"))
    su = r.groupby(keys).size().rename("signed_up")
    f = first_orders(s, PAID).assign(month=lambda x: x["ordered_at"].dt.to_period("M"))
    cv = f.groupby(keys).agg(converted=("order_id", "size"), first_order_revenue_minor=("net_reporting_minor", "sum"))
    funnel = ev.join(su, how="outer").join(cv, how="outer").fillna(0).reset_index()
    return funnel, len(funnel)


@stage("rewards")
def rewards(s):
    f = first_orders(s, ["paid"])
    f = f[f["advocate_id"].notna()]
    ledger = pd.concat([
        pd.DataFrame({"program_id": f["program_id"], "beneficiary_id": f["advocate_id"], "earned_at": f["ordered_at"], "amount_minor": 1000}),
        pd.DataFrame({"program_id": f["program_id"], "beneficiary_id": f["referee_id"], "earned_at": f["ordered_at"], "amount_minor": 500}),
    ])
    as_of = s["orders"]["ordered_at"].max()
    age = (as_of - ledger["earned_at"]).dt.days
    amt = ledger["amount_minor"]
    liability = ledger.assign(
        held_minor=amt.where(age < 30, 0),
        approved_unpaid_minor=amt.where(age >= 30, 0),
        aging_0_30_minor=amt.where(age <= 30, 0),
        aging_31_60_minor=amt.where(age.between(31, 60), 0),
        aging_61_90_minor=amt.where(age.between(61, 90), 0),
        aging_90_plus_minor=amt.where(age > 90, 0),
    ).groupby("program_id").agg(
        held_minor=("held_minor", "sum"), approved_unpaid_minor=("approved_unpaid_minor", "sum"),
        aging_0_30_minor=("aging_0_30_minor", "sum"), aging_31_60_minor=("aging_31_60_minor", "sum"),
        aging_61_90_minor=("aging_61_90_minor", "sum"), aging_90_plus_minor=("aging_90_plus_minor", "sum"),
        beneficiaries_owed=("beneficiary_id", "nunique"),
    )
    return liability, len(ledger)


def main():
    t = ingest()
    s = staging(t)
    del t
    attribution(s)
    cohorts(s)
    referrals(s)
    rewards(s)
    print(json.dumps({"pandas": pd.__version__, "python": sys.version.split()[0], "stages": STAGES}))


if __name__ == "__main__":
    main()
