import { createSender } from './sender.js'
import { sendCustomerStory } from './story.js'

// Segment's Node library, unchanged, pointed at Lodestone. It sends the key as the HTTP Basic
// user name; give it the workspace's secret key, which server-side lifecycle events need.
const host = process.env.LODESTONE_HOST ?? 'http://localhost:8787'
const writeKey = process.env.LODESTONE_SECRET_KEY
if (!writeKey?.startsWith('sk_')) {
  console.error('Set LODESTONE_SECRET_KEY to the workspace secret key (sk_…)')
  process.exit(1)
}

const analytics = createSender({ host, secretKey: writeKey })
analytics.on('error', (err) => console.error('delivery failed:', err))
const userId = process.argv[2] ?? 'cust-42'
sendCustomerStory(analytics, { userId })
await analytics.closeAndFlush()
console.log(`Sent the story of ${userId}. See ${host}/v1/contacts/lookup?userId=${userId}`)
