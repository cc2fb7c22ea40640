//! The durable queue on Redis Streams. Pick it when jobs outgrow the
//! database (many per second, many workers) or the service has no
//! PostgreSQL; every instance of the service shares the queue.
//!
//! # How it works
//!
//! Every key starts with `{prefix}` (`WORKER_REDIS_PREFIX`, in braces so a
//! Redis Cluster keeps them in one slot, which the scripts need):
//!
//! | key | type | holds |
//! | --- | --- | --- |
//! | `{prefix}:stream` | stream | one entry per job that is due: `job = <id>` |
//! | `{prefix}:job:<id>` | hash | the payload, `max` attempts, `retries` so far, `last_error` |
//! | `{prefix}:delayed` | sorted set | job ids waiting for a retry, scored by when it is due (ms) |
//! | `{prefix}:dead` | stream | the dead letters: job, payload, attempts, error |
//! | `{prefix}:idem:<key>` | string | an idempotency key, expiring after the retention |
//!
//! - **Claiming** reads the stream in the consumer group `workers`
//!   (`XREADGROUP ... BLOCK`): Redis hands each entry to one consumer and
//!   keeps it in the group's pending list until it is acknowledged.
//! - **Visibility timeout**: an entry pending longer than the lease
//!   (`WORKER_LEASE_MS`) without a heartbeat is taken over by the next
//!   claimer (`XAUTOCLAIM`), as a new attempt. The heartbeat is `XCLAIM ...
//!   JUSTID` by the owner, which resets the entry's idle time.
//! - **Attempts** are the job's `retries` (failed attempts that were
//!   rescheduled) plus the entry's delivery count, which Redis increments on
//!   every delivery, crashed ones included. A job whose last attempt was lost
//!   is buried, never delivered again.
//! - **Fenced outcomes**: completing, failing or renewing first checks (in the
//!   same script) that the entry is still pending for this consumer with the
//!   delivery count it was claimed with; otherwise [`Settled::LeaseLost`].
//! - **Retries** leave the stream: the job id goes to `{prefix}:delayed`,
//!   and the next claim (or maintenance) moves the ones that are due back to
//!   the stream. **Dead** jobs go to `{prefix}:dead`, trimmed to the
//!   retention.
//! - **Outages**: the connection manager reconnects on its own; meanwhile
//!   calls fail fast, the worker loop backs off with jitter, and readiness
//!   reports the outage. Every call is bounded by a timeout.
//! - Jobs are removed when they are done; only idempotency keys and dead
//!   letters stay, for the retention.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::streams::{StreamReadOptions, StreamReadReply};
use redis::{AsyncCommands, Client, RedisError, Script};

use super::{ClaimedJob, JobQueue, NewJob, QueueError, Settled};
use crate::config::{ConfigError, Env};

/// The consumer group every worker reads in.
const GROUP: &str = "workers";
/// The longest any one command may take, a blocking read's wait aside.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest a claim blocks on the stream: a claim dropped at shutdown
/// while blocked may leave one job to its visibility timeout.
const MAX_BLOCK: Duration = Duration::from_secs(1);
/// Delayed jobs moved, or lost last attempts buried, per maintenance pass.
const MAINTAIN_BATCH: u32 = 100;

/// Where the jobs live in Redis.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisConfig {
    /// The server (`REDIS_URL`).
    pub url: String,
    /// The prefix of every key (`WORKER_REDIS_PREFIX`).
    pub prefix: String,
}

impl Default for RedisConfig {
    /// A Redis on this machine, keys under `{jobs}`.
    fn default() -> Self {
        Self {
            url: "redis://127.0.0.1:6379".to_owned(),
            prefix: "jobs".to_owned(),
        }
    }
}

// By hand: the URL may hold a password.
impl fmt::Debug for RedisConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match (self.url.split_once("://"), self.url.rfind('@')) {
            (Some((scheme, _)), Some(at)) => format!("{scheme}://***{}", &self.url[at..]),
            _ => self.url.clone(),
        };
        f.debug_struct("RedisConfig")
            .field("url", &url)
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl RedisConfig {
    /// Reads `REDIS_URL` and `WORKER_REDIS_PREFIX` (1 to 64 letters, digits,
    /// `-`, `_`, `.`, `:`).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the variable.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let url = env.string("REDIS_URL", &defaults.url);
        if Client::open(url.as_str()).is_err() {
            return Err(ConfigError::Invalid {
                name: "REDIS_URL",
                value: url,
                expected: "a redis:// URL, e.g. redis://127.0.0.1:6379",
            });
        }
        let prefix = env.string("WORKER_REDIS_PREFIX", &defaults.prefix);
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.:".contains(c);
        if prefix.is_empty() || prefix.len() > 64 || !prefix.chars().all(allowed) {
            return Err(ConfigError::Invalid {
                name: "WORKER_REDIS_PREFIX",
                value: prefix,
                expected: "1 to 64 letters, digits, '-', '_', '.' or ':'",
            });
        }
        Ok(Self { url, prefix })
    }
}

/// The queue's keys.
#[derive(Debug)]
struct Keys {
    /// `{prefix}`: scripts build the per-job keys from it.
    base: String,
    stream: String,
    delayed: String,
    dead: String,
}

/// The Lua scripts; each runs atomically on the server.
struct Scripts {
    push: Script,
    reclaim: Script,
    settle: Script,
    maintain: Script,
}

/// Checks that `ARGV[1]` (entry) is pending for `ARGV[2]` (consumer) with
/// delivery count `ARGV[3]`: the claim being settled is still the current one.
const OWNED: &str = r"
local function owned(stream, id, consumer, deliveries)
  local p = redis.call('XPENDING', stream, 'workers', id, id, 1, consumer)
  return p[1] ~= nil and p[1][4] == tonumber(deliveries)
end
";

/// KEYS: stream. ARGV: base, payload, max attempts, idempotency key ('' for
/// none), retention ms. Returns 1 when stored, 0 for a known key.
const PUSH: &str = r"
local base = ARGV[1]
if ARGV[4] ~= '' then
  if not redis.call('SET', base .. ':idem:' .. ARGV[4], '1', 'NX', 'PX', ARGV[5]) then
    return 0
  end
end
local id = redis.call('INCR', base .. ':next-id')
redis.call('HSET', base .. ':job:' .. id, 'payload', ARGV[2], 'max', ARGV[3], 'retries', 0)
redis.call('XADD', KEYS[1], '*', 'job', id)
return 1
";

/// Buries entry `id` of job `job` (attempts, error) into the dead stream.
const BURY: &str = r"
local function bury(stream, dead, base, id, job, payload, attempts, error)
  redis.call('XACK', stream, 'workers', id)
  redis.call('XDEL', stream, id)
  redis.call('XADD', dead, '*', 'job', job, 'payload', payload or '',
    'attempts', attempts, 'error', error)
  redis.call('DEL', base .. ':job:' .. job)
end
local function lost(attempts, max)
  return 'lease expired on attempt ' .. attempts .. ' of ' .. max
    .. ': its worker stopped or lost redis'
end
";

/// Moves the delayed jobs that are due (at most `batch`) back to the stream.
const PROMOTE: &str = r"
local function promote(stream, delayed, batch)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, batch)
  for _, job in ipairs(due) do
    redis.call('ZREM', delayed, job)
    redis.call('XADD', stream, '*', 'job', job)
  end
  return #due, now
end
";

/// KEYS: stream, dead, delayed. ARGV: consumer, lease ms, base. Moves due
/// retries to the stream (so a retry waits its backoff, not for
/// maintenance), then takes over one entry whose visibility expired; buries
/// it instead when that was its last attempt. Returns {entry, job, payload,
/// attempt, max, deliveries} or nil.
const RECLAIM: &str = r"
promote(KEYS[1], KEYS[3], 100)
for _ = 1, 10 do
  local claimed = redis.call('XAUTOCLAIM', KEYS[1], 'workers', ARGV[1], ARGV[2], '0-0', 'COUNT', 1)
  local entry = claimed[2][1]
  if not entry then return false end
  local id, job = entry[1], entry[2][2]
  local deliveries = redis.call('XPENDING', KEYS[1], 'workers', id, id, 1)[1][4]
  local f = redis.call('HMGET', ARGV[3] .. ':job:' .. job, 'payload', 'max', 'retries')
  if not f[2] then
    redis.call('XACK', KEYS[1], 'workers', id)
    redis.call('XDEL', KEYS[1], id)
  else
    local attempt = tonumber(f[3]) + deliveries
    if attempt <= tonumber(f[2]) then
      return {id, job, f[1], attempt, tonumber(f[2]), deliveries}
    end
    bury(KEYS[1], KEYS[2], ARGV[3], id, job, f[1], attempt - 1, lost(attempt - 1, f[2]))
  end
end
return false
";

/// KEYS: stream, delayed, dead. ARGV: entry, consumer, deliveries, base,
/// job, action ('complete', 'renew', 'retry', 'bury'), delay ms, error,
/// attempt. Returns 1 when recorded, 0 when the claim is no longer current.
const SETTLE: &str = r"
local stream, id, consumer, base, job = KEYS[1], ARGV[1], ARGV[2], ARGV[4], ARGV[5]
if not owned(stream, id, consumer, ARGV[3]) then return 0 end
local action = ARGV[6]
if action == 'renew' then
  redis.call('XCLAIM', stream, 'workers', consumer, 0, id, 'JUSTID')
  return 1
end
if action == 'complete' then
  redis.call('XACK', stream, 'workers', id)
  redis.call('XDEL', stream, id)
  redis.call('DEL', base .. ':job:' .. job)
  return 1
end
if action == 'retry' then
  redis.call('XACK', stream, 'workers', id)
  redis.call('XDEL', stream, id)
  redis.call('HINCRBY', base .. ':job:' .. job, 'retries', 1)
  redis.call('HSET', base .. ':job:' .. job, 'last_error', ARGV[8])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[7]), job)
  return 1
end
local payload = redis.call('HGET', base .. ':job:' .. job, 'payload')
bury(stream, KEYS[3], base, id, job, payload, ARGV[9], ARGV[8])
return 1
";

/// KEYS: stream, delayed, dead. ARGV: base, lease ms, batch, retention ms.
/// Moves due retries to the stream, buries lost last attempts, trims the
/// dead letters. Returns {moved, buried}.
const MAINTAIN: &str = r"
local moved, now = promote(KEYS[1], KEYS[2], ARGV[3])
local buried = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
  if #groups > 0 then
    local expired = redis.call('XPENDING', KEYS[1], 'workers', 'IDLE', ARGV[2], '-', '+', ARGV[3])
    for _, p in ipairs(expired) do
      local id, deliveries = p[1], p[4]
      local entry = redis.call('XRANGE', KEYS[1], id, id)[1]
      if entry then
        local job = entry[2][2]
        local f = redis.call('HMGET', ARGV[1] .. ':job:' .. job, 'payload', 'max', 'retries')
        if f[2] and tonumber(f[3]) + deliveries >= tonumber(f[2]) then
          local attempts = tonumber(f[3]) + deliveries
          bury(KEYS[1], KEYS[3], ARGV[1], id, job, f[1], attempts, lost(attempts, f[2]))
          buried = buried + 1
        end
      end
    end
  end
end
redis.call('XTRIM', KEYS[3], 'MINID', '~', now - tonumber(ARGV[4]))
return {moved, buried}
";

/// A job this worker claimed: its stream entry and how it was delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisClaimed {
    /// The stream entry (changes with every retry).
    pub entry: String,
    /// The job's id (stays across retries).
    pub job: u64,
    /// What to do.
    pub payload: String,
    /// This attempt, 1-based.
    pub attempt: u32,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// The entry's delivery count when claimed: with the consumer, the
    /// fencing token.
    pub deliveries: u64,
}

impl ClaimedJob for RedisClaimed {
    fn id(&self) -> String {
        self.job.to_string()
    }

    fn payload(&self) -> &str {
        &self.payload
    }

    fn attempt(&self) -> u32 {
        self.attempt
    }

    fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
}

/// The queue on Redis Streams. Clones share the connections and the
/// consumer name: one `RedisQueue` per worker process.
#[derive(Clone)]
pub struct RedisQueue {
    /// Every command but the blocking read.
    commands: ConnectionManager,
    /// The blocking read, on a connection of its own: a blocked connection
    /// answers nothing else, so heartbeats and acknowledgements would wait.
    blocking: ConnectionManager,
    keys: Arc<Keys>,
    scripts: Arc<Scripts>,
    consumer: Arc<str>,
    lease: Duration,
    retention: Duration,
}

impl fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQueue")
            .field("keys", &self.keys.base)
            .field("consumer", &self.consumer)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl RedisQueue {
    /// A queue on the Redis at `config.url`; claims are visible to others
    /// again after `lease` without a heartbeat, idempotency keys and dead
    /// letters kept for `retention`. Connects lazily, so a Redis that is down
    /// now is an outage to wait out, not a startup failure.
    ///
    /// # Errors
    ///
    /// A URL the client cannot use.
    pub fn new(
        config: &RedisConfig,
        lease: Duration,
        retention: Duration,
    ) -> Result<Self, QueueError> {
        let client = Client::open(config.url.as_str())?;
        // Reconnect attempts are quick and few: the worker loop owns the
        // backoff (jittered, growing), and readiness should see an outage.
        // No response timeout of the client's (500 ms by default, shorter
        // than a blocking read): every call here is bounded by its own.
        let managed = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_secs(1))
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(None);
        let commands = ConnectionManager::new_lazy_with_config(client.clone(), managed.clone())?;
        let blocking = ConnectionManager::new_lazy_with_config(client, managed)?;
        let base = format!("{{{}}}", config.prefix);
        let scripts = Scripts {
            push: Script::new(PUSH),
            reclaim: Script::new(&format!("{PROMOTE}{BURY}{RECLAIM}")),
            settle: Script::new(&format!("{OWNED}{BURY}{SETTLE}")),
            maintain: Script::new(&format!("{PROMOTE}{BURY}{MAINTAIN}")),
        };
        let random = RandomState::new().hash_one(std::process::id());
        Ok(Self {
            commands,
            blocking,
            keys: Arc::new(Keys {
                stream: format!("{base}:stream"),
                delayed: format!("{base}:delayed"),
                dead: format!("{base}:dead"),
                base,
            }),
            scripts: Arc::new(scripts),
            consumer: format!("worker-{random:016x}").into(),
            lease,
            retention,
        })
    }

    /// The dead letters, oldest first (at most `count`): `(job id, fields)`.
    ///
    /// # Errors
    ///
    /// Redis errors, or [`QueueError::Unresponsive`].
    pub async fn dead_letters(
        &self,
        count: usize,
    ) -> Result<Vec<(String, Vec<(String, String)>)>, QueueError> {
        let mut conn = self.commands.clone();
        let entries: Vec<(String, Vec<(String, String)>)> = bounded(
            CALL_TIMEOUT,
            conn.xrange_count(&self.keys.dead, "-", "+", count),
        )
        .await?;
        Ok(entries)
    }

    /// Creates the consumer group (and the stream) if missing; from the
    /// stream's start, so jobs pushed before any worker ran are not skipped.
    async fn ensure_group(&self) -> Result<(), QueueError> {
        let mut conn = self.commands.clone();
        let created: Result<(), RedisError> = bounded_raw(
            CALL_TIMEOUT,
            conn.xgroup_create_mkstream(&self.keys.stream, GROUP, "0"),
        )
        .await?;
        match created {
            Err(error) if error.code() != Some("BUSYGROUP") => Err(error.into()),
            _ => Ok(()),
        }
    }

    /// Takes over an entry whose visibility expired, if any.
    async fn reclaim(&self) -> Result<Option<RedisClaimed>, QueueError> {
        type Row = (String, String, String, u32, u32, u64);
        let mut conn = self.commands.clone();
        let row: Option<Row> = bounded(
            CALL_TIMEOUT,
            self.scripts
                .reclaim
                .key(&self.keys.stream)
                .key(&self.keys.dead)
                .key(&self.keys.delayed)
                .arg(&*self.consumer)
                .arg(millis(self.lease))
                .arg(&self.keys.base)
                .invoke_async(&mut conn),
        )
        .await?;
        row.map(|(entry, job, payload, attempt, max_attempts, deliveries)| {
            Ok(RedisClaimed {
                entry,
                job: parse_job_id(&job)?,
                payload,
                attempt,
                max_attempts,
                deliveries,
            })
        })
        .transpose()
    }

    /// Waits up to `wait` for a new entry in the group.
    async fn read_new(&self, wait: Duration) -> Result<Option<RedisClaimed>, QueueError> {
        let block = wait.clamp(Duration::from_millis(1), MAX_BLOCK);
        let options = StreamReadOptions::default()
            .group(GROUP, &*self.consumer)
            .count(1)
            .block(usize::try_from(block.as_millis()).unwrap_or(usize::MAX));
        let mut conn = self.blocking.clone();
        let reply: Option<StreamReadReply> = bounded(
            block + CALL_TIMEOUT,
            conn.xread_options(&[&self.keys.stream], &[">"], &options),
        )
        .await?;
        let Some(entry) = reply
            .and_then(|reply| reply.keys.into_iter().next())
            .and_then(|key| key.ids.into_iter().next())
        else {
            return Ok(None);
        };
        let job: String = entry.get("job").ok_or_else(|| {
            QueueError::Malformed(format!("stream entry {} has no job", entry.id))
        })?;
        let job = parse_job_id(&job)?;
        let mut conn = self.commands.clone();
        let (payload, max, retries): (Option<String>, Option<u32>, Option<u32>) = bounded(
            CALL_TIMEOUT,
            redis::cmd("HMGET")
                .arg(format!("{}:job:{job}", self.keys.base))
                .arg(&["payload", "max", "retries"])
                .query_async(&mut conn),
        )
        .await?;
        let (Some(payload), Some(max_attempts), Some(retries)) = (payload, max, retries) else {
            return Err(QueueError::Malformed(format!("job {job} has no record")));
        };
        Ok(Some(RedisClaimed {
            entry: entry.id,
            job,
            payload,
            attempt: retries + 1,
            max_attempts,
            deliveries: 1,
        }))
    }

    /// Runs the settle script for `job`.
    async fn settle(
        &self,
        job: &RedisClaimed,
        action: &str,
        delay: Duration,
        error: &str,
    ) -> Result<Settled, QueueError> {
        let mut conn = self.commands.clone();
        let recorded: i64 = bounded(
            CALL_TIMEOUT,
            self.scripts
                .settle
                .key(&self.keys.stream)
                .key(&self.keys.delayed)
                .key(&self.keys.dead)
                .arg(&job.entry)
                .arg(&*self.consumer)
                .arg(job.deliveries)
                .arg(&self.keys.base)
                .arg(job.job)
                .arg(action)
                .arg(millis(delay))
                .arg(error)
                .arg(job.attempt)
                .invoke_async(&mut conn),
        )
        .await?;
        Ok(if recorded == 1 {
            Settled::Recorded
        } else {
            Settled::LeaseLost
        })
    }
}

impl JobQueue for RedisQueue {
    type Claimed = RedisClaimed;

    async fn push(&self, job: &NewJob<'_>) -> Result<bool, QueueError> {
        let mut conn = self.commands.clone();
        let stored: i64 = bounded(
            CALL_TIMEOUT,
            self.scripts
                .push
                .key(&self.keys.stream)
                .arg(&self.keys.base)
                .arg(job.payload)
                .arg(job.max_attempts.max(1))
                .arg(job.idempotency_key.unwrap_or(""))
                .arg(millis(self.retention))
                .invoke_async(&mut conn),
        )
        .await?;
        Ok(stored == 1)
    }

    /// Takes over an expired delivery if there is one, else blocks on the
    /// stream for up to `wait` (at most a second, so a claim dropped at
    /// shutdown rarely holds a job).
    async fn claim(&self, wait: Duration) -> Result<Option<RedisClaimed>, QueueError> {
        let claimed = match self.reclaim().await {
            Ok(None) => self.read_new(wait).await,
            other => other,
        };
        match claimed {
            // No group yet (the first worker on this prefix), or it is gone
            // (a fresh Redis, a flush): create it, then read.
            Err(QueueError::Redis(error)) if error.code() == Some("NOGROUP") => {
                self.ensure_group().await?;
                self.read_new(wait).await
            }
            other => other,
        }
    }

    async fn heartbeat(&self, job: &RedisClaimed) -> Result<Settled, QueueError> {
        self.settle(job, "renew", Duration::ZERO, "").await
    }

    async fn complete(&self, job: &RedisClaimed) -> Result<Settled, QueueError> {
        self.settle(job, "complete", Duration::ZERO, "").await
    }

    async fn fail(
        &self,
        job: &RedisClaimed,
        error: &str,
        retry_in: Option<Duration>,
    ) -> Result<Settled, QueueError> {
        match retry_in {
            Some(delay) => self.settle(job, "retry", delay, error).await,
            None => self.settle(job, "bury", Duration::ZERO, error).await,
        }
    }

    async fn maintain(&self) -> Result<(), QueueError> {
        let mut conn = self.commands.clone();
        let (moved, buried): (u64, u64) = bounded(
            CALL_TIMEOUT,
            self.scripts
                .maintain
                .key(&self.keys.stream)
                .key(&self.keys.delayed)
                .key(&self.keys.dead)
                .arg(&self.keys.base)
                .arg(millis(self.lease))
                .arg(MAINTAIN_BATCH)
                .arg(millis(self.retention))
                .invoke_async(&mut conn),
        )
        .await?;
        if moved > 0 {
            tracing::debug!(moved, "durable queue: retries due, back on the stream");
        }
        if buried > 0 {
            tracing::error!(
                buried,
                "durable jobs died with their worker on their last attempt"
            );
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), QueueError> {
        let mut conn = self.commands.clone();
        bounded(
            CALL_TIMEOUT,
            redis::cmd("PING").query_async::<()>(&mut conn),
        )
        .await
    }
}

/// `duration` in whole milliseconds, as Redis counts.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn parse_job_id(job: &str) -> Result<u64, QueueError> {
    job.parse()
        .map_err(|_| QueueError::Malformed(format!("job id {job:?} is not a number")))
}

/// Runs a Redis call with a timeout.
async fn bounded<T>(
    limit: Duration,
    call: impl Future<Output = Result<T, RedisError>>,
) -> Result<T, QueueError> {
    bounded_raw(limit, call).await?.map_err(QueueError::from)
}

/// A Redis call with a timeout, its own error left to the caller.
async fn bounded_raw<T>(
    limit: Duration,
    call: impl Future<Output = Result<T, RedisError>>,
) -> Result<Result<T, RedisError>, QueueError> {
    tokio::time::timeout(limit, call)
        .await
        .map_err(|_| QueueError::Unresponsive(limit))
}
