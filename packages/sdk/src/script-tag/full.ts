// Script-tag entry, full build: core plus the zero-code capture plugins.
import { capturePlugins } from '../plugins/index.js'
import { autoLoad } from './auto-load.js'

autoLoad(capturePlugins)
