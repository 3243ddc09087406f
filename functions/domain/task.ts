import type { AgendaItem } from './agenda';
import { Conflict, NotAllowed } from './errors';
import type { TimelineEntry } from './timeline';

/**
 * An ad-hoc task (call back, send a sample) a person sets themselves on a record they may act on:
 * an agenda item like the process's own, on their agenda and in their digest until they mark it done.
 */

export type TaskSubject = { kind: 'lead' | 'opportunity' | 'account' | 'order' | 'quote'; id: string };

export interface Task {
  id: string;
  subject: TaskSubject;
  title: string;
  dueAt: string;
  assignee: string;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: string;
  doneAt?: string;
}

/** Its agenda item's kind on the record: one per task. */
export const taskKind = (taskId: string) => `task:${taskId}`;

export const newTask = (
  fields: { subject: TaskSubject; title: string; dueAt: string },
  subjectName: string,
  by: string,
  ids: { taskId: string; entryId: string },
  at: string,
): { task: Task; item: AgendaItem; entry: TimelineEntry } => {
  const task: Task = { ...fields, id: ids.taskId, assignee: by, status: 'open', createdBy: by, createdAt: at };
  return {
    task,
    item: { kind: taskKind(task.id), assignee: by, dueAt: task.dueAt, summary: `${task.title}: ${subjectName}`, subject: task.subject },
    entry: {
      id: ids.entryId,
      at,
      actor: by,
      kind: 'task-added',
      channel: 'internal',
      summary: `Task for ${by}, due ${task.dueAt.slice(0, 10)}: ${task.title}`,
      detail: { taskId: task.id, title: task.title, dueAt: task.dueAt },
    },
  };
};

/** Done, by the person it is for (or someone acting for them); once. */
export const taskDone = (
  task: Task,
  by: string,
  mayActForAssignee: boolean,
  entryId: string,
  at: string,
): { task: Task; entry: TimelineEntry } => {
  if (task.status === 'done') throw new Conflict(`The task "${task.title}" is done already`);
  if (task.assignee !== by && !mayActForAssignee)
    throw new NotAllowed(`The task "${task.title}" is ${task.assignee}'s: only they, their managers or the MD may mark it done`);
  return {
    task: { ...task, status: 'done', doneAt: at },
    entry: {
      id: entryId,
      at,
      actor: by,
      kind: 'task-done',
      channel: 'internal',
      summary: `Task done: ${task.title}`,
      detail: { taskId: task.id },
    },
  };
};
