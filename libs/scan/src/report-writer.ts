import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cropFileName, reportCsvRows, reportJson, toCsv } from './report-format';
import { renderReportHtml } from './report-html';
import type { ScanReport } from './scan-types';

export interface WrittenReports {
  json: string;
  csv: string;
  html: string;
  crops: string[];
}

/**
 * Writes report.json, report.csv, report.html and crops/ under outDir (created). Each file is
 * written under a temporary name and renamed, report.json last: a folder with report.json in it
 * holds a whole report.
 */
export async function writeReports(report: ScanReport, outDir: string): Promise<WrittenReports> {
  // Faces and names of enrolled people: readable by the owner only.
  await mkdir(path.join(outDir, 'crops'), { recursive: true, mode: 0o700 });
  const crops: string[] = [];
  for (const m of report.matches) {
    const file = path.join(outDir, cropFileName(m));
    await atomicWrite(file, m.crop);
    crops.push(file);
  }
  const csv = path.join(outDir, 'report.csv');
  const html = path.join(outDir, 'report.html');
  const json = path.join(outDir, 'report.json');
  await atomicWrite(csv, toCsv(reportCsvRows(report)));
  await atomicWrite(html, renderReportHtml(report));
  await atomicWrite(json, `${JSON.stringify(reportJson(report), null, 2)}\n`);
  return { json, csv, html, crops };
}

async function atomicWrite(file: string, data: string | Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, data, { mode: 0o600 });
  await rename(temp, file);
}
