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

  it('reads text that starts with a bracket but is not JSON as plain text', () => {
    expect(parseTextList('[Day 1] City tour, [Day 2] Museum')).toEqual([
      '[Day 1] City tour',
      '[Day 2] Museum',
    ])
  })

  it('splits text with line breaks on the lines only, keeping commas inside a line', () => {
    expect(parseTextList('Hotel, 4 nights\nBreakfast\r\nAirport transfer')).toEqual([
      'Hotel, 4 nights',
      'Breakfast',
      'Airport transfer',
    ])
  })

  it('splits a single line on commas', () => {
    expect(parseTextList('Hotel,Breakfast , Airport transfer')).toEqual([
      'Hotel',
      'Breakfast',
      'Airport transfer',
    ])
  })

  it('strips one leading bullet of each kind from an item', () => {
    expect(parseTextList('- Hotel\n* Breakfast\n• Transfer\n-   Guide')).toEqual([
      'Hotel',
      'Breakfast',
      'Transfer',
      'Guide',
    ])
  })

  it('keeps a dash or star that is part of the item', () => {
    expect(parseTextList('-10% on excursions\n*Premium* seats\nAll-inclusive')).toEqual([
      '-10% on excursions',
      '*Premium* seats',
      'All-inclusive',
    ])
  })

  it('drops blank items and bare bullets', () => {
    expect(parseTextList('Hotel\n\n   \n-\n• \nBreakfast')).toEqual(['Hotel', 'Breakfast'])
    expect(parseTextList('Hotel,, ,Breakfast,')).toEqual(['Hotel', 'Breakfast'])
  })

  it('drops exact duplicates after cleaning and keeps the first order', () => {
    expect(parseTextList('Hotel\n- Breakfast\nHotel\nBreakfast\nhotel')).toEqual([
      'Hotel',
      'Breakfast',
      'hotel',
    ])
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

  it('splits a list with line breaks on the lines, keeping commas inside URLs', () => {
    expect(
      parseImageList('https://cdn.test/w_400,h_300/a.jpg\r\n- https://cdn.test/b.jpg\n'),
    ).toEqual(['https://cdn.test/w_400,h_300/a.jpg', 'https://cdn.test/b.jpg'])
  })

  it('splits a single line on a comma followed by whitespace', () => {
    expect(parseImageList('images/a.jpg, images/b.jpg,  images/c.jpg')).toEqual([
      'images/a.jpg',
      'images/b.jpg',
      'images/c.jpg',
    ])
  })

  it('splits a single line on a comma right before a new absolute URL', () => {
    expect(parseImageList('https://cdn.test/a.jpg,http://cdn.test/b.jpg,HTTPS://c.test/d')).toEqual(
      ['https://cdn.test/a.jpg', 'http://cdn.test/b.jpg', 'HTTPS://c.test/d'],
    )
  })

  it('keeps a comma inside a URL as part of the URL', () => {
    expect(parseImageList('https://cdn.test/image/upload/w_400,h_300,c_fill/a.jpg')).toEqual([
      'https://cdn.test/image/upload/w_400,h_300,c_fill/a.jpg',
    ])
  })

  it('reads relative paths joined by a bare comma as one item', () => {
    expect(parseImageList('images/a.jpg,images/b.jpg')).toEqual(['images/a.jpg,images/b.jpg'])
  })

  it('drops repeated images and keeps the first order', () => {
    expect(parseImageList('a.jpg, b.jpg, a.jpg')).toEqual(['a.jpg', 'b.jpg'])
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
