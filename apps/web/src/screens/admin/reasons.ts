/** The quality gate's reasons in words an administrator can act on. */
export const REASON_TEXT: Record<string, string> = {
  no_face: 'no face found',
  multiple_faces: 'more than one face',
  too_small: 'face too small — use a closer or larger photo',
  blurry: 'too blurry',
  too_dark: 'too dark',
  washed_out: 'too bright (washed out)',
  clipped: 'over- or under-exposed areas',
  pose_yaw: 'head turned — use a front-facing photo',
  pose_roll: 'head tilted',
  low_score: 'face not clear enough',
  not_in_person_folder: 'not inside a person\'s folder',
  nested_folder: 'in a folder inside a person\'s folder',
};
