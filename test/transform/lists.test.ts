import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MalformedListError } from '../../src/red360/transform/errors'
import {
  imageListColumn,
  parseImageList,
  parseTextList,
  textListColumn,
  withMainImage,
} from '../../src/red360/transform/lists'

describe('parseTextList', () => {
  it('reads NULL, an absent value, empty and blank text as no items', () => {
    expect(parseTextList(null)).toEqual([])
    expect(parseTextList(undefined)).toEqual([])
    expect(parseTextList('')).toEqual([])
    expect(parseTextList('  \n \r\n ')).toEqual([])
  })

  it('takes a JSON array of strings item by item, commas inside items included', () => {
    expect(parseTextList('["Hotel, 4 nights", "Breakfast"]')).toEqual([
      'Hotel, 4 nights',
      'Breakfast',
    ])
    expect(parseTextList('[]')).toEqual([])
  })

  it('cleans the items of a JSON array like any other list', () => {
    expect(parseTextList('[" - Hotel ", "", "Hotel", "Transfer"]')).toEqual(['Hotel', 'Transfer'])
  })

  it('refuses a JSON array that holds anything but strings', () => {
    expect(() => parseTextList('["Hotel", 2]')).toThrow(MalformedListError)
    expect(() => parseTextList('[null]')).toThrow(MalformedListError)
    expect(() => parseTextList('[["Hotel"]]')).toThrow(MalformedListError)
    expect(() => parseTextList('[{"item": "Hotel"}]')).toThrow(MalformedListError)
  })

  // [test name, text, items]; the name goes in through %s, as Vitest cuts $-values to 40 chars.
  it.each([
    [
      'reads text that starts with a bracket but is not JSON as plain text',
      '[Day 1] City tour, [Day 2] Museum',
      ['[Day 1] City tour', '[Day 2] Museum'],
    ],
    [
      'splits text with line breaks on the lines only, keeping commas inside a line',
      'Hotel, 4 nights\nBreakfast\r\nAirport transfer',
      ['Hotel, 4 nights', 'Breakfast', 'Airport transfer'],
    ],
    [
      'splits a single line on commas',
      'Hotel,Breakfast , Airport transfer',
      ['Hotel', 'Breakfast', 'Airport transfer'],
    ],
    [
      'strips one leading bullet of each kind from an item',
      '- Hotel\n* Breakfast\n• Transfer\n-   Guide',
      ['Hotel', 'Breakfast', 'Transfer', 'Guide'],
    ],
    [
      'keeps a dash or star that is part of the item',
      '-10% on excursions\n*Premium* seats\nAll-inclusive',
      ['-10% on excursions', '*Premium* seats', 'All-inclusive'],
    ],
    [
      'drops exact duplicates after cleaning and keeps the first order',
      'Hotel\n- Breakfast\nHotel\nBreakfast\nhotel',
      ['Hotel', 'Breakfast', 'hotel'],
    ],
  ])('%s', (_, text, items) => {
    expect(parseTextList(text)).toEqual(items)
  })

  it('drops blank items and bare bullets', () => {
    expect(parseTextList('Hotel\n\n   \n-\n• \nBreakfast')).toEqual(['Hotel', 'Breakfast'])
    expect(parseTextList('Hotel,, ,Breakfast,')).toEqual(['Hotel', 'Breakfast'])
  })
})

describe('parseImageList', () => {
  it('reads NULL and blank text as no images', () => {
    expect(parseImageList(null)).toEqual([])
    expect(parseImageList(' ')).toEqual([])
  })

  it('takes a JSON array of URLs as is', () => {
    expect(parseImageList('["https://cdn.test/a.jpg", "https://cdn.test/b,c.jpg"]')).toEqual([
      'https://cdn.test/a.jpg',
      'https://cdn.test/b,c.jpg',
    ])
  })

  it('refuses a JSON array of non-strings', () => {
    expect(() => parseImageList('[{"url": "https://cdn.test/a.jpg"}]')).toThrow(MalformedListError)
  })

  // [test name, text, images], named through %s like the parseTextList cases.
  it.each([
    [
      'splits a list with line breaks on the lines, keeping commas inside URLs',
      'https://cdn.test/w_400,h_300/a.jpg\r\n- https://cdn.test/b.jpg\n',
      ['https://cdn.test/w_400,h_300/a.jpg', 'https://cdn.test/b.jpg'],
    ],
    [
      'splits a single line on a comma followed by whitespace',
      'images/a.jpg, images/b.jpg,  images/c.jpg',
      ['images/a.jpg', 'images/b.jpg', 'images/c.jpg'],
    ],
    [
      'splits a single line on a comma right before a new absolute URL',
      'https://cdn.test/a.jpg,http://cdn.test/b.jpg,HTTPS://c.test/d',
      ['https://cdn.test/a.jpg', 'http://cdn.test/b.jpg', 'HTTPS://c.test/d'],
    ],
    [
      'keeps a comma inside a URL as part of the URL',
      'https://cdn.test/image/upload/w_400,h_300,c_fill/a.jpg',
      ['https://cdn.test/image/upload/w_400,h_300,c_fill/a.jpg'],
    ],
    [
      'reads relative paths joined by a bare comma as one item',
      'images/a.jpg,images/b.jpg',
      ['images/a.jpg,images/b.jpg'],
    ],
    ['drops repeated images and keeps the first order', 'a.jpg, b.jpg, a.jpg', ['a.jpg', 'b.jpg']],
  ])('%s', (_, text, images) => {
    expect(parseImageList(text)).toEqual(images)
  })
})

describe('withMainImage', () => {
  it('puts the main image first, then the gallery', () => {
    expect(withMainImage('main.jpg', ['a.jpg', 'b.jpg'])).toEqual(['main.jpg', 'a.jpg', 'b.jpg'])
  })

  it('leaves the main image out of the gallery when the gallery repeats it', () => {
    expect(withMainImage(' main.jpg ', ['a.jpg', 'main.jpg'])).toEqual(['main.jpg', 'a.jpg'])
  })

  it('gives the gallery alone when the main image is NULL or blank', () => {
    expect(withMainImage(null, ['a.jpg'])).toEqual(['a.jpg'])
    expect(withMainImage('  ', ['a.jpg'])).toEqual(['a.jpg'])
    expect(withMainImage(undefined, [])).toEqual([])
  })
})

describe('the list column schemas', () => {
  const row = z.object({ include: textListColumn, gallery_images: imageListColumn })

  it('read the columns into arrays, absent or NULL columns into []', () => {
    expect(row.parse({ include: 'Hotel, Breakfast', gallery_images: null })).toEqual({
      include: ['Hotel', 'Breakfast'],
      gallery_images: [],
    })
    expect(row.parse({})).toEqual({ include: [], gallery_images: [] })
  })

  it('report a JSON array of non-strings as an issue on its column', () => {
    const result = row.safeParse({ include: '[1, 2]', gallery_images: '["a.jpg"]' })

    expect(result.success).toBe(false)
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['include'], message: 'expected a JSON array of strings' }),
    ])
  })

  it('report a column that is not text', () => {
    expect(row.safeParse({ include: 42, gallery_images: null }).success).toBe(false)
  })
})
