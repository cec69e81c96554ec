// Word lists for generated demo and benchmark data: common first names and surnames, role and topic phrases.

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra',
  'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle',
  'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Dorothy', 'George', 'Melissa', 'Timothy', 'Deborah',
  'Ronald', 'Stephanie', 'Edward', 'Rebecca', 'Jason', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia',
  'Jacob', 'Kathleen', 'Gary', 'Amy', 'Nicholas', 'Angela', 'Eric', 'Shirley', 'Jonathan', 'Anna',
  'Stephen', 'Brenda', 'Larry', 'Pamela', 'Justin', 'Emma', 'Scott', 'Nicole', 'Brandon', 'Helen',
  'Benjamin', 'Samantha', 'Samuel', 'Katherine', 'Gregory', 'Christine', 'Alexander', 'Debra', 'Patrick', 'Rachel',
  'Frank', 'Carolyn', 'Raymond', 'Janet', 'Jack', 'Maria', 'Dennis', 'Olivia', 'Jerry', 'Heather',
]

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez',
]

export const ROLES = [
  'Software engineer', 'Senior backend developer', 'Frontend developer', 'Data scientist', 'Product manager',
  'UX designer', 'DevOps engineer', 'Site reliability engineer', 'Engineering manager', 'Data analyst',
  'Machine learning engineer', 'Security engineer', 'Technical writer', 'QA engineer', 'Mobile developer',
  'Cloud architect', 'Recruiter', 'Marketing specialist', 'Sales engineer', 'Student',
]

export const CONNECTORS = ['working on', 'passionate about', 'focused on', 'learning', 'interested in', 'building']

export const TOPICS = [
  'distributed systems', 'web performance', 'open source', 'data pipelines', 'developer tooling',
  'accessibility', 'cloud infrastructure', 'mobile apps', 'machine learning', 'payments', 'search engines',
  'databases', 'API design', 'security', 'design systems', 'analytics', 'healthcare software', 'education technology',
  'game development', 'embedded systems',
]

export const POST_TITLES = [
  'Lessons from my first year', 'How we cut our latency in half', 'Hiring tips for engineers', 'A career change story',
  'What I learned at the conference', 'Remote work that works', 'Notes on code review', 'Scaling our database',
  'Why I love testing', 'Mentoring junior developers', 'Open roles on my team', 'A week of on-call',
]

export const COMMENTS = [
  'Great post, thanks for sharing!', 'Very helpful.', 'I had the same experience.', 'Congratulations!',
  'Interesting perspective.', 'Could you say more about this?', 'Thanks, bookmarked.', 'Well said.',
]
