// stats-duckdb.mjs FILE: the counts, rates and percentiles of `smarthook stats` in SQL,
// answered by DuckDB over read_json_auto, printed as one JSON object on stdout.
// Run by bench/stats-duckdb.sh from the folder where @duckdb/node-api is installed.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const pct = (f, p) => `quantile_disc(channel.${f}, ${p})`;
const dist = (f, name) =>
  `round(avg(channel.${f}), 3) AS ${name}_mean, ${pct(f, 0.5)} AS ${name}_p50, ` +
  `${pct(f, 0.9)} AS ${name}_p90, ${pct(f, 0.99)} AS ${name}_p99`;
const sql = `
SELECT count(*) AS chats,
  count_if(channel.isChat) AS is_chat, count_if(channel.isMissed) AS missed,
  count_if(channel.isOffline) AS offline, count_if(channel.isTriggered) AS triggered,
  count_if(channel.isCompleted) AS completed, count_if(channel.isDropped) AS dropped,
  round(count_if(channel.isMissed) / count(*), 4) AS missed_rate,
  round(count_if(channel.isCompleted) / count(*), 4) AS completed_rate,
  count(channel.rating) AS rated, round(avg(channel.rating), 4) AS rating_mean,
  ${dist('firstResponse', 'first_response')},
  ${dist('avgResponse', 'response')},
  ${dist('duration', 'duration')}
FROM read_json_auto('${file.replace(/'/g, "''")}', format = 'newline_delimited')`;
const reader = await conn.runAndReadAll(sql);
const row = reader.getRowObjectsJson()[0];
console.log(JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))));
