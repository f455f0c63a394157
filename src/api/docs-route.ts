/**
 * `GET /openapi.json`, the OpenAPI 3.1 document of the whole HTTP surface, and `GET /docs`, a
 * plain page made from it for people: no scripts and nothing fetched from elsewhere, so it
 * works wherever the worker answers.
 */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/** The document's header. */
export const openApiConfig = {
  openapi: '3.1.0',
  info: {
    title: 'red360-sync',
    version: '0.1.0',
    description:
      'The edge integration layer between the AMS365 CRM and Red de Agencias 360: signed ' +
      'webhooks in, sync on demand, bulk syncs and backfills, and cached catalog reads.',
  },
}

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>

interface Operation {
  summary?: string
  description?: string
  security?: unknown[]
  parameters?: { name: string; in: string; required?: boolean; description?: string }[]
  responses?: Record<string, { description?: string }>
}

const methods = ['get', 'post', 'put', 'delete', 'patch'] as const

/** Serves the document and the page. */
export function mountDocs(app: OpenAPIHono<{ Bindings: Env }>): void {
  app.doc31('/openapi.json', openApiConfig)
  app.get('/docs', (c) => c.html(renderDocs(app.getOpenAPI31Document(openApiConfig))))
}

function renderDocs(document: Document): HtmlEscapedString | Promise<HtmlEscapedString> {
  const sections = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = (item as Record<string, Operation | undefined>)[method]
      return operation === undefined ? [] : [renderOperation(method, path, operation)]
    }),
  )

  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${document.info.title} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:0 .3em}section{border-top:1px solid #ddd;padding:.5rem 0}
td,th{text-align:left;padding:.1rem .8rem .1rem 0;vertical-align:top}</style></head>
<body><h1>${document.info.title} API</h1><p>${document.info.description ?? ''}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${document.openapi}).</p>
${raw(sections.join(''))}</body></html>`
}

function renderOperation(method: string, path: string, operation: Operation): string {
  const secured = (operation.security?.length ?? 0) > 0 ? ' · bearer token' : ''
  const parameters = (operation.parameters ?? []).map(
    (p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}${p.required ? ', required' : ''}</td>
<td>${p.description ?? ''}</td></tr>`,
  )
  const responses = Object.entries(operation.responses ?? {}).map(
    ([status, answer]) =>
      html`<tr><td><code>${status}</code></td><td>${answer.description ?? ''}</td></tr>`,
  )

  const description = operation.description ? html`<p>${operation.description}</p>` : ''
  const parameterTable =
    parameters.length === 0
      ? ''
      : html`<table><tr><th>Parameter</th><th>In</th><th></th></tr>${parameters}</table>`

  return String(html`<section><h2><code>${method.toUpperCase()}</code> ${path}</h2>
<p>${operation.summary ?? ''}${secured}</p>${description}${parameterTable}
<table><tr><th>Answer</th><th></th></tr>${responses}</table></section>`)
}
