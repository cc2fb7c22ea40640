import type { Component, CrateDep, DbKind, QueueKind, EnvVar, TemplateSource, Wiring } from '../catalog/types.js';

/** Answers as a preset, a pack's `defaults` or its `lock` give them (all optional). */
export interface AnswerValues {
  components?: string[] | string;
  db?: DbKind;
  queue?: QueueKind;
  ci?: boolean;
  docker?: boolean;
  git?: boolean;
  answers?: Record<string, string | boolean>;
}

export interface Preset extends AnswerValues {
  /** The template pack the preset was made with. */
  template?: string;
}

/** A question a pack adds; its answer is `answers.<name>` in templates and `--answer name=value`. */
export interface PackQuestion {
  name: string;
  message: string;
  type?: 'input' | 'confirm' | 'select';
  default: string | boolean;
  choices?: string[];
}

/** `rust-async-template.json`, as written in the pack (paths relative to the pack). */
export interface PackManifest {
  name: string;
  description?: string;
  extends?: string;
  defaults?: AnswerValues;
  lock?: AnswerValues;
  questions?: PackQuestion[];
  overrides?: string;
  files?: TemplateSource[];
  components?: (Omit<Component, 'requires' | 'conflicts' | 'default' | 'crates' | 'env' | 'wiring'> & {
    requires?: string[];
    conflicts?: string[];
    default?: boolean;
    crates?: CrateDep[];
    env?: EnvVar[];
    wiring: Wiring;
  })[];
  plopfile?: string;
}

/** A pack on disk: its real root directory and its validated manifest. */
export interface Pack {
  root: string;
  manifest: PackManifest;
}
