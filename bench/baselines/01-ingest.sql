-- Baseline for stage `ingest`: what a DuckDB user would write to load the same CSV files: read_csv with type
-- detection, one table per file, order amounts converted to integer minor units. No validation, no quarantine.
create or replace table customers as select * from read_csv({{file:customers.csv}}, header = true);
create or replace table orders as
select * exclude (gross_amount, discount_amount, tax_amount, refunded_amount),
  cast(round(gross_amount * 100) as bigint) as gross_minor,
  cast(round(coalesce(discount_amount, 0) * 100) as bigint) as discount_minor,
  cast(round(coalesce(tax_amount, 0) * 100) as bigint) as tax_minor,
  cast(round(coalesce(refunded_amount, 0) * 100) as bigint) as refunded_minor
from read_csv({{file:orders.csv}}, header = true);
create or replace table touches as select * from read_csv({{file:touches.csv}}, header = true, all_varchar = false);
create or replace table referral_events as select * from read_csv({{file:referral_events.csv}}, header = true);
create or replace table survey_responses as select * from read_csv({{file:survey_responses.csv}}, header = true);
create or replace table experiment_assignments as select * from read_csv({{file:experiment_assignments.csv}}, header = true);
create or replace table support_interactions as select * from read_csv({{file:support_interactions.csv}}, header = true);
create or replace table email_events as select * from read_csv({{file:email_events.csv}}, header = true);
create or replace table marketing_spend as select * from read_csv({{file:marketing_spend.csv}}, header = true);
create or replace table fx_rates as select * from read_csv({{file:fx_rates.csv}}, header = true);
