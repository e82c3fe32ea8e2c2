// The bundle replaces this module with every template of templates/ precompiled by Handlebars at
// build time (scripts/build.mjs), so a run loads only Handlebars' small runtime and compiles
// nothing. Run from source (tests), it is empty and templates are compiled from their files.
export const precompiledTemplates: Record<string, Parameters<typeof import('handlebars').template>[0]> = {};
