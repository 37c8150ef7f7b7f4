import { callOptions, parseArgs } from './arguments.js'
import { createConsent, type Consent } from './consent.js'
import { createIdentity, type Identity } from './identity.js'
import { CONSENT_UPDATED, LIBRARY, SUBSCRIPTIONS_UPDATED } from './keys.js'
import type { Plugin, PluginContext } from './plugin.js'
import { runPlugins } from './plugin-runner.js'
import type { Env, EnvOptions, Log } from './ports.js'
import { createQueue, type Queue } from './queue.js'
import type {
  Callback,
  CallOptions,
  ConsentStatus,
  Lodestone,
  LodestoneEvent,
  LoadOptions,
  SubscriptionStatus,
} from './types.js'
import { uuid } from './uuid.js'
import { DEBUG_TEXT } from './debug-text.js'
import { TEARDOWNS } from './teardowns.js'

// The analytics.js-shaped instance (createLodestoneWith, at the end) and the pure steps it uses:
// the starting consent, following subscription changes, the API's subscription event and
// running the plugins' teardowns. The instance keeps its state in one closure: its methods,
// `load` and the dispatch, consent and persistence steps share it.

type Fields = Record<string, unknown>
/** What `load` keeps on the instance (read-only in `Lodestone`). */
type Kept = { writeKey?: string; host?: string }

/** The consent without a stored choice: a respected privacy signal refuses, requireConsent holds. */
const initialConsent = (e: Env, opts: LoadOptions) =>
  createConsent(
    e.store,
    opts.respectDoNotTrack && e.optOutSignal()
      ? 'denied'
      : opts.requireConsent
        ? 'pending'
        : 'granted',
  )

/** Whoever reports subscription changes (this API or a capture plugin), the state follows. */
const observeSubscriptions = (identity: Identity, e: LodestoneEvent) => {
  const topics = e.type === 'track' && e.event === SUBSCRIPTIONS_UPDATED && e.properties?.topics
  if (topics && typeof topics === 'object')
    identity.updateSubscriptions(topics as Record<string, SubscriptionStatus>)
}

/** A subscription change made through the API: the topics as `subscribed` or `unsubscribed`. */
const subscriptionUpdate = (
  topics: Record<string, boolean | SubscriptionStatus>,
  properties?: Record<string, unknown>,
) => {
  const norm: Record<string, SubscriptionStatus> = {}
  for (const [k, v] of Object.entries(topics))
    norm[k] = v === true || v === 'subscribed' ? 'subscribed' : 'unsubscribed'
  return { source: 'api', ...properties, topics: norm }
}

/** Runs the kept teardowns, newest first, each once; a failing one is logged. */
const runTeardowns = (teardowns: (() => void)[], log: Log) => {
  for (const off of teardowns.splice(0).reverse()) {
    try {
      off()
    } catch (err) {
      log(DEBUG_TEXT && 'plugin teardown failed', err)
    }
  }
}

/**
 * Builds an analytics.js-shaped instance on a runtime (`makeEnv`). Calls made before `load`
 * are kept and replayed in order once it runs; every method swallows its own errors.
 *
 * @example
 * const lodestone = createLodestoneWith(browserEnv)
 * lodestone.load('wk_123', { host: 'https://collect.example.com' })
 */
export const createLodestoneWith = (makeEnv: (o: EnvOptions) => Env): Lodestone => {
  // Calls made before load, replayed in order once it runs.
  const pending: (() => void)[] = []
  let calledPage = false
  let env: Env | undefined
  let queue: Queue
  let identity: Identity
  let consent: Consent
  let plugins: Plugin[] = []
  const teardowns: (() => void)[] = []
  let status: ConsentStatus = 'pending'
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  let adopting = false
  let markReady: () => void
  const ready = new Promise<void>((r) => (markReady = r))
  const log: Log = (m, d) => env?.log(m, d)

  // Runs `fn` once loaded, or keeps the call for replay; never lets an error out.
  const api = <A extends unknown[]>(fn: (...args: A) => void, page?: boolean) => {
    const call = (...args: A): void => {
      try {
        if (env) fn(...args)
        else {
          pending.push(() => call(...args))
          // A page call made before load (the analytics.js snippet habit) is the initial view.
          calledPage ||= !!page
        }
      } catch (err) {
        log(DEBUG_TEXT && 'call failed', err)
      }
    }
    return call
  }

  // Keeps the unsent events on the device (only with consent).
  const saveNow = () => {
    clearTimeout(saveTimer)
    saveTimer = undefined
    if (status === 'granted') env?.queueStore?.save(queue.events())
  }
  // One write per task at most, off the caller's stack: track() never touches storage itself.
  const saveSoon = () => {
    if (saveTimer === undefined) saveTimer = setTimeout(saveNow, 0)
  }

  // Builds an event, runs the plugins over it and queues it (nothing after a refusal).
  const dispatch = (type: string, fields: Fields, o: CallOptions = {}, done?: Callback) => {
    if (status === 'denied') return log(DEBUG_TEXT && 'consent denied: dropped', type)
    let event = {
      type,
      messageId: uuid(),
      timestamp: new Date(o.timestamp || Date.now()).toISOString(),
      anonymousId: identity.anonymousId(),
      context: { ...env!.context(), library: LIBRARY, ...o.context },
    } as LodestoneEvent
    if (identity.userId()) event.userId = identity.userId()
    if (o.integrations) event.integrations = o.integrations
    Object.assign(event, fields)
    const out = runPlugins(plugins, event, log)
    if (!out) return log(DEBUG_TEXT && 'dropped by a plugin', type)
    event = out
    observeSubscriptions(identity, event)
    log(type, event)
    queue.push(event)
    if (done) setTimeout(done, 0)
  }

  // Follows the consent decision: store and send, hold, or forget everything.
  const applyConsent = () => {
    status = consent.get().status
    const granted = status === 'granted'
    env!.store.persist(granted)
    if (granted) {
      identity.save()
      if (!adopting) {
        adopting = true
        env!.queueStore?.start((events) => {
          queue.restore(events)
          saveNow()
        })
      }
    } else if (status === 'denied') {
      identity.forget()
      queue.clear()
      env!.queueStore?.save([])
    }
    queue.hold(!granted)
    saveNow()
  }

  // Sends what is queued with the transports that survive the page going away.
  const flushBeacon = () => {
    void queue.flush(true)
    saveNow()
  }

  // Starts the runtime, consent, identity, queue and plugins, then replays the calls kept.
  const load: Lodestone['load'] = (writeKey, opts = {}) => {
    try {
      if (env || !writeKey) return

      // Kept on the instance too (read-only there), so that segments() asks the same collector
      // with the same key (personalize/segments.ts).
      env = makeEnv({
        writeKey: ((instance as Kept).writeKey = String(writeKey)),
        host: ((instance as Kept).host = opts.host),
        cookieDomain: opts.cookieDomain,
        storage: !opts.cookieless,
        debug: !!opts.debug,
      })
      const e = env
      consent = initialConsent(e, opts)
      // Nothing reaches the device before the decision is known.
      e.store.persist(consent.get().status === 'granted')
      identity = createIdentity(e.store)
      queue = createQueue({
        send: e.send,
        batchSize: opts.batchSize ?? 20,
        flushInterval: opts.flushInterval ?? 1000,
        maxQueueSize: opts.maxQueueSize ?? 1000,
        backoff: { baseMs: opts.retry?.baseMs ?? 1000, maxMs: opts.retry?.maxMs ?? 60_000 },
        onChange: saveSoon,
        log,
      })
      applyConsent()
      const pageViews = opts.pageViews !== false
      const ctx: PluginContext = {
        track: instance.track,
        page: instance.page,
        identify: instance.identify,
        flush: (o) => (o?.beacon ? flushBeacon() : void queue.flush()),
        options: opts,
        debug: log,
      }
      plugins = opts.plugins ?? []
      for (const p of plugins) {
        try {
          const off = p.setup?.(ctx)
          if (TEARDOWNS && off) teardowns.push(off)
        } catch (err) {
          log(DEBUG_TEXT && `plugin ${p.name} failed in setup`, err)
        }
      }
      if (pageViews && !calledPage) instance.page()
      for (const call of pending.splice(0)) call()
      e.watch(
        {
          hide(leaving) {
            flushBeacon()
            if (leaving) e.queueStore?.release()
          },
          show: saveNow,
          online: queue.retryNow,
          route: instance.page,
        },
        pageViews,
      )
      log(DEBUG_TEXT && 'loaded', opts)
      markReady()
    } catch (err) {
      log(DEBUG_TEXT && 'load failed', err)
    }
  }

  const instance: Lodestone = {
    get loaded() {
      return !!env
    },
    load,
    track: api((event: string, properties?, o?, done?) => {
      if (!event) return log(DEBUG_TEXT && 'track needs an event name')
      dispatch('track', { event: String(event), properties: { ...properties } }, o, done)
    }),
    page: api((...args: unknown[]) => {
      const p = parseArgs(args)
      const [category, name] = p.strings.length > 1 ? p.strings : [null, p.strings[0]]
      const fields: Fields = { properties: { ...env!.pageProperties(), ...p.objects[0] } }
      if (name) fields.name = name
      if (category) fields.category = category
      dispatch('page', fields, callOptions(p), p.callback)
    }, true),
    identify: api((...args: unknown[]) => {
      const p = parseArgs(args)
      identity.identify(p.strings[0], p.objects[0])
      dispatch('identify', { traits: identity.traits() }, callOptions(p), p.callback)
    }),
    group: api((groupId: string, traits?, o?, done?) => {
      dispatch('group', { groupId: String(groupId), traits: { ...traits } }, o, done)
    }),
    alias: api((userId: string, previousId?, o?, done?) => {
      const from = previousId ?? identity.userId() ?? identity.anonymousId()
      dispatch('alias', { userId: String(userId), previousId: from }, o, done)
    }),
    reset: api(() => identity.reset()),
    ready(done) {
      return ready.then(() => {
        try {
          done?.()
        } catch (err) {
          log(DEBUG_TEXT && 'ready callback failed', err)
        }
      })
    },
    user: () => ({
      anonymousId(id) {
        try {
          if (id && env) identity.setAnonymousId(String(id))
          return env ? identity.anonymousId() : null
        } catch {
          return null
        }
      },
      id: () => (env ? identity.userId() : null),
      traits: () => (env ? identity.traits() : {}),
    }),
    // queue.flush is async (it cannot throw synchronously) and catches its own send errors.
    flush: () => (env ? queue.flush() : Promise.resolve()),
    consent: {
      set: api((input: boolean | Record<string, boolean>) => {
        if (!consent.set(input)) return
        applyConsent()
        const { categories } = consent.get()
        if (status === 'granted') instance.track(CONSENT_UPDATED, { categories })
      }),
      get: () => (env ? consent.get() : { status: 'pending', categories: {} }),
    },
    subscriptions: {
      set: api((topics, properties?) =>
        instance.track(SUBSCRIPTIONS_UPDATED, subscriptionUpdate(topics, properties)),
      ),
      get: () => (env ? identity.subscriptions() : {}),
    },
  }

  if (TEARDOWNS) instance.teardown = () => runTeardowns(teardowns, log)
  return instance
}
