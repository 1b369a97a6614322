import { Center, Loader } from '@mantine/core';

export default function Loading() {
  return (
    <Center mih={200}>
      <Loader aria-label="Loading page" />
    </Center>
  );
}
