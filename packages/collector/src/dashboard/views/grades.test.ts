import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from '@lodestone/scoring'
import { defaultGradeLabels, gradeLabel } from './grades.js'

describe('grade labels', () => {
  it('translates every default grade and keeps a name a workspace typed', () => {
    for (const { name } of DEFAULT_RULES.grades) {
      expect(gradeLabel('en', name)).toBe(name)
      expect(gradeLabel('zh-CN', name)).not.toBe(name)
      expect(gradeLabel('zh-CN', name)).toMatch(/^[\u4e00-\u9fff]+$/)
    }
    expect(gradeLabel('zh-CN', 'hot')).toBe('热线索')
    expect(gradeLabel('zh-CN', 'A-list')).toBe('A-list')
    expect(gradeLabel('zh-CN', 'Hot')).toBe('Hot')
    expect(defaultGradeLabels('zh-CN')).toEqual({ cold: '冷线索', warm: '温线索', hot: '热线索' })
  })
})
