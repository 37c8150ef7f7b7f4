import { describe, expect, it } from 'vitest'
import { databaseTarget } from './database-url.js'

describe('databaseTarget', () => {
  it('passes TCP URLs through untouched', () => {
    for (const url of [
      'postgres://u:p@db.example.com:6543/app',
      'postgres://u@127.0.0.1/app?sslmode=require',
      'postgres://u@h/app?host=db2',
    ]) {
      expect(databaseTarget(url)).toEqual({ url })
    }
  })

  it('turns a libpq socket directory into the socket path, default port 5432', () => {
    expect(databaseTarget('postgres://app@/lodestone?host=/run/postgresql')).toEqual({
      url: 'postgres://app@localhost/lodestone',
      path: '/run/postgresql/.s.PGSQL.5432',
    })
    expect(databaseTarget('postgresql:///lodestone?host=/tmp/')).toEqual({
      url: 'postgresql://localhost/lodestone',
      path: '/tmp/.s.PGSQL.5432',
    })
  })

  it('takes the port from the authority or the query, and keeps other parameters', () => {
    expect(databaseTarget('postgres://u@localhost:6000/db?host=/s&application_name=x')).toEqual({
      url: 'postgres://u@localhost:6000/db?application_name=x',
      path: '/s/.s.PGSQL.6000',
    })
    expect(databaseTarget('postgres://u@/db?port=7000&host=%2Fvar%2Frun')).toEqual({
      url: 'postgres://u@localhost/db',
      path: '/var/run/.s.PGSQL.7000',
    })
  })
})
