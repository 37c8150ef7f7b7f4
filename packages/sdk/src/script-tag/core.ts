// Script-tag entry, core build: API, delivery, page views, consent.
import { autoLoad } from './auto-load.js'

autoLoad()
